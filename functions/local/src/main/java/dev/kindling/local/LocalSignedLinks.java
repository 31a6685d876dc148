package dev.kindling.local;

import dev.kindling.shop.Signatures;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * The local runtime's stand-in for S3's presigned URLs: a link to this server under {@code /local/<key>} carrying its
 * expiry and an HMAC of the key and expiry under a secret made at start, so it works until it expires like a presigned
 * URL and cannot be made up or stretched.
 */
final class LocalSignedLinks {
    private final String baseUrl;
    private final String secret;

    LocalSignedLinks(String baseUrl) {
        this.baseUrl = baseUrl;
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        secret = HexFormat.of().formatHex(random);
    }

    String link(String key, Instant expires) {
        return baseUrl + "/local/" + key + "?expires=" + expires.getEpochSecond() + "&signature=" + signature(key, expires.getEpochSecond());
    }

    /** When the link's query signs {@code key}, its expiry; null when it does not (altered, or no link of ours). */
    Instant expiry(String key, Map<String, String> query) {
        long at;
        try {
            at = Long.parseLong(query.getOrDefault("expires", ""));
        } catch (NumberFormatException bad) {
            return null;
        }
        byte[] expected = signature(key, at).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, query.getOrDefault("signature", "").getBytes(StandardCharsets.UTF_8)) ? Instant.ofEpochSecond(at) : null;
    }

    private String signature(String key, long expires) {
        return Signatures.hmacSha256Hex(secret, key + "\n" + expires);
    }
}
