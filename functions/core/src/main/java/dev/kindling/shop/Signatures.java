package dev.kindling.shop;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures: base64 HMAC-SHA256 of the exact body bytes, as Shopify and WooCommerce send
 * them, Segment's hex HMAC-SHA1, the browser's {@code user_hash}; and the one SHA-256 digest the project derives ids and index keys with.
 */
public final class Signatures {
    private Signatures() {}

    public static String hmacSha256Base64(String secret, byte[] body) {
        return Base64.getEncoder().encodeToString(hmacSha256(secret, body));
    }

    /** Constant-time: the comparison takes as long whatever the first wrong byte. */
    public static boolean verifyBase64(String secret, byte[] body, String presented) {
        if (secret == null || secret.isEmpty() || presented == null) return false;
        byte[] given;
        try {
            given = Base64.getDecoder().decode(presented.strip());
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        return MessageDigest.isEqual(hmacSha256(secret, body), given);
    }

    /**
     * Segment's webhook signature: hex HMAC-SHA1 of the body with the shared secret (SHA-1 is
     * Segment's choice; as an HMAC it still authenticates). Constant-time, like {@link #verifyBase64}.
     */
    public static boolean verifyHexSha1(String secret, byte[] body, String presented) {
        return verifyHex("HmacSHA1", secret, body, presented);
    }

    /**
     * A browser identify's {@code user_hash}: hex HMAC-SHA256 of the user id with the shop's server key, made by the
     * shop's server (Intercom's identity verification). Constant-time, like {@link #verifyBase64}.
     */
    public static boolean verifyHexSha256(String secret, byte[] body, String presented) {
        return verifyHex("HmacSHA256", secret, body, presented);
    }

    /** The hex HMAC-SHA256 a shop's server puts in {@code user_hash}. */
    public static String hmacSha256Hex(String secret, String text) {
        return HexFormat.of().formatHex(hmacSha256(secret, text.getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean verifyHex(String algorithm, String secret, byte[] body, String presented) {
        if (secret == null || secret.isEmpty() || presented == null) return false;
        byte[] given;
        try {
            given = HexFormat.of().parseHex(presented.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(hmac(algorithm, secret, body), given);
    }

    /** SHA-256 of the text's UTF-8 bytes, as lower-case hex (64 characters; callers may keep a prefix). */
    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of the bytes, as lower-case hex. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmacSha256(String secret, byte[] body) {
        return hmac("HmacSHA256", secret, body);
    }

    static byte[] hmac(String algorithm, String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
