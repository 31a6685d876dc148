package dev.kindling.local;

import dev.kindling.json.Json;
import dev.kindling.shop.Shop;
import dev.kindling.shop.Signatures;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * {@code bin/kindling admin-token --id NAME --role read|write}: a new admin token, shown once, and the
 * entry that goes in the shop's record (its SSM parameter, or the shops file) under {@code adminTokens}:
 * only the token's SHA-256, so whoever reads the record cannot use it. To rotate, add the new entry,
 * hand out the new token, then remove the old entry; both work in between.
 */
public final class AdminTokens {
    private AdminTokens() {}

    public static void main(String[] args) {
        String id = null;
        Shop.Role role = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--id" -> id = args[i + 1];
                case "--role" -> role = Shop.Role.valueOf(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --id NAME --role read|write");
            }
        }
        if (id == null || role == null || !id.matches("[A-Za-z0-9_.@-]{1,64}")) {
            System.err.println("usage: bin/kindling admin-token --id NAME --role read|write");
            System.exit(2);
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = "kt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        System.out.println("token (shown once; give it to whoever uses it): " + token);
        System.out.println("add to the shop's record under \"adminTokens\":");
        System.out.println(Json.write(new Shop.AdminToken(id, role, Signatures.sha256Hex(token))));
    }
}
