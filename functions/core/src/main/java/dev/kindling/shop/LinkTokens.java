package dev.kindling.shop;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kindling.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tokens in email links (unsubscribe, preferences, confirmation, view in browser). What a
 * token says (shop, contact, message, purpose, expiry) is encrypted with AES-GCM, so a token
 * reveals no contact id, and signed with HMAC-SHA256 (encrypt-then-MAC, checked in constant time
 * before anything is decrypted), with keys derived from the shop's link secret. A token names the
 * key it was made with, so rotating the secret keeps links made with the previous one working
 * until that secret is removed.
 *
 * <pre>token = keyId "." base64url(iv ‖ ciphertext) "." base64url(first 16 bytes of HMAC)</pre>
 */
public final class LinkTokens {
    public static final int MAX_TOKEN_CHARS = 1024;
    private static final int MIN_SECRET_CHARS = 32;
    private static final int IV_BYTES = 12;
    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    public enum Purpose {
        UNSUBSCRIBE("u", Duration.ofDays(400)),
        PREFERENCES("p", Duration.ofDays(400)),
        CONFIRM("c", Duration.ofDays(7)),
        VIEW("v", Duration.ofDays(90)),
        /** An NPS survey or a review request: the journey's answer links. */
        SURVEY("s", Duration.ofDays(60)),
        /** An advocate's referral link, which they pass on to friends. */
        REFERRAL("r", Duration.ofDays(400));

        final String code;
        public final Duration lifetime;

        Purpose(String code, Duration lifetime) {
            this.code = code;
            this.lifetime = lifetime;
        }

        static Purpose of(String code) {
            for (Purpose p : values()) if (p.code.equals(code)) return p;
            throw new InvalidToken("unknown purpose");
        }
    }

    /** What a token says. {@code messageId} is the email the link came in; {@code topic} narrows an unsubscribe. */
    public record Claims(Purpose purpose, String shopId, String contactId, String messageId, String topic, Instant expires) {}

    /** A token that is malformed, forged, edited, made for another purpose or shop, or expired. Nothing is done with it. */
    public static final class InvalidToken extends RuntimeException {
        public InvalidToken(String reason) {
            super(reason, null, false, false);
        }
    }

    private record Payload(@JsonProperty("p") String purpose, @JsonProperty("s") String shop, @JsonProperty("c") String contact,
                           @JsonProperty("m") String message, @JsonProperty("t") String topic, @JsonProperty("e") long expires) {}

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public LinkTokens(Clock clock) {
        this.clock = clock;
    }

    public String issue(Shop shop, Purpose purpose, String contactId, String messageId, String topic) {
        Keys keys = Keys.of(requireSecret(shop));
        Instant expires = clock.instant().plus(purpose.lifetime);
        byte[] plain = Json.write(new Payload(purpose.code, shop.id(), contactId, messageId, topic, expires.getEpochSecond()))
                .getBytes(StandardCharsets.UTF_8);
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.encryption, new GCMParameterSpec(128, iv));
            cipher.updateAAD(keys.id.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = concat(iv, cipher.doFinal(plain));
            String body = keys.id + "." + B64.encodeToString(sealed);
            return body + "." + B64.encodeToString(keys.mac(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a link token", e);
        }
    }

    public Claims verify(Shop shop, Purpose expected, String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) throw new InvalidToken("malformed");
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) throw new InvalidToken("malformed");
        Keys keys = null;
        for (String secret : secrets(shop)) {
            Keys candidate = Keys.of(secret);
            if (candidate.id.equals(parts[0])) keys = candidate;
        }
        if (keys == null) throw new InvalidToken("unknown key");
        byte[] presented;
        byte[] sealed;
        try {
            presented = B64D.decode(parts[2]);
            sealed = B64D.decode(parts[1]);
        } catch (IllegalArgumentException notBase64) {
            throw new InvalidToken("malformed");
        }
        byte[] expectedMac = keys.mac(parts[0] + "." + parts[1]);
        if (!MessageDigest.isEqual(expectedMac, presented)) throw new InvalidToken("signature does not match");
        if (sealed.length <= IV_BYTES) throw new InvalidToken("malformed");
        Payload payload;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, keys.encryption, new GCMParameterSpec(128, sealed, 0, IV_BYTES));
            cipher.updateAAD(keys.id.getBytes(StandardCharsets.US_ASCII));
            payload = Json.read(new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8), Payload.class);
        } catch (GeneralSecurityException | RuntimeException unreadable) {
            throw new InvalidToken("cannot be read");
        }
        Purpose purpose = Purpose.of(payload.purpose);
        if (purpose != expected) throw new InvalidToken("made for another purpose");
        if (!shop.id().equals(payload.shop)) throw new InvalidToken("made for another shop");
        Instant expires = Instant.ofEpochSecond(payload.expires);
        if (!clock.instant().isBefore(expires)) throw new InvalidToken("expired");
        return new Claims(purpose, payload.shop, payload.contact, payload.message, payload.topic, expires);
    }

    /** Characters of a short link's signature (hex of the HMAC): enough that a guess is refused before any read. */
    public static final int SHORT_SIGNATURE_CHARS = 8;

    /**
     * The signature of a short link's code (a text's tracked link, {@code /l/<shop>/<code><signature>}): a few characters of
     * the link secret's HMAC of the shop and the code, so a link that was not handed out is refused without a read.
     */
    public String shortSignature(Shop shop, String code) {
        return shortSignature(requireSecret(shop), shop.id(), code);
    }

    /** Whether the signature is the shop's for this code, under its link secret or the one before it; compared in constant time. */
    public boolean verifyShort(Shop shop, String code, String signature) {
        byte[] presented = signature.getBytes(StandardCharsets.US_ASCII);
        boolean valid = false;
        for (String secret : secrets(shop)) {
            byte[] expected = shortSignature(secret, shop.id(), code).getBytes(StandardCharsets.US_ASCII);
            valid |= MessageDigest.isEqual(expected, presented);
        }
        return valid;
    }

    private static String shortSignature(String secret, String shopId, String code) {
        return Signatures.hmacSha256Hex(secret, "short-link\n" + shopId + "\n" + code).substring(0, SHORT_SIGNATURE_CHARS);
    }

    private static List<String> secrets(Shop shop) {
        List<String> secrets = new ArrayList<>();
        if (shop.linkSecret() != null && shop.linkSecret().length() >= MIN_SECRET_CHARS) secrets.add(shop.linkSecret());
        if (shop.previousLinkSecret() != null && shop.previousLinkSecret().length() >= MIN_SECRET_CHARS) secrets.add(shop.previousLinkSecret());
        return secrets;
    }

    private static String requireSecret(Shop shop) {
        if (shop.linkSecret() == null || shop.linkSecret().length() < MIN_SECRET_CHARS) {
            throw new IllegalStateException("shop " + shop.id() + " has no linkSecret of at least " + MIN_SECRET_CHARS
                    + " characters; email links cannot be signed");
        }
        return shop.linkSecret();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private record Keys(String id, SecretKeySpec encryption, SecretKeySpec signing) {
        static Keys of(String secret) {
            byte[] s = secret.getBytes(StandardCharsets.UTF_8);
            String id = B64.encodeToString(hmac(s, "kindling link key id")).substring(0, 6);
            return new Keys(id, new SecretKeySpec(hmac(s, "kindling link encryption"), "AES"),
                    new SecretKeySpec(hmac(s, "kindling link signature"), "HmacSHA256"));
        }

        byte[] mac(String body) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(signing);
                return Arrays.copyOf(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)), MAC_BYTES);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static byte[] hmac(byte[] key, String label) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac.doFinal(label.getBytes(StandardCharsets.US_ASCII));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
