package dev.kindling.local.cli;

import dev.kindling.json.Json;
import dev.kindling.shop.Shop;
import dev.kindling.shop.Signatures;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code bin/kindling admin-token --id NAME --role read|write}: a new admin token, shown once, and the entry that goes in
 * the shop's record under {@code adminTokens}: only the token's SHA-256, so whoever reads the record cannot use it; both
 * the old and the new token work while one is rotated.
 */
@Command(name = "admin-token", mixinStandardHelpOptions = true, description = {
        "A new admin token, shown once, and the entry for the shop's record (its SSM parameter or the shops file) under adminTokens: "
                + "only the token's SHA-256. To rotate, add the new entry, hand out the new token, then remove the old entry."})
public final class AdminTokens implements Callable<Integer> {
    @ParentCommand
    KindlingCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--id", required = true, description = "who or what the token is for, as the audit log names it: 1-64 of A-Z a-z 0-9 _ . @ -")
    String id;

    @Option(names = "--role", required = true, description = "read or write")
    Shop.Role role;

    @Override
    public Integer call() {
        if (!id.matches("[A-Za-z0-9_.@-]{1,64}")) throw new CommandLine.ParameterException(spec.commandLine(), "--id: 1-64 of A-Z a-z 0-9 _ . @ -");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = "kt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        cli.out.println("token (shown once; give it to whoever uses it): " + token);
        cli.out.println("add to the shop's record under \"adminTokens\":");
        cli.out.println(Json.write(new Shop.AdminToken(id, role, Signatures.sha256Hex(token))));
        return 0;
    }
}
