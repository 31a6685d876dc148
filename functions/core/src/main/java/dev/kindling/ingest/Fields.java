package dev.kindling.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.shop.Signatures;
import java.math.BigDecimal;
import java.util.Locale;

/** Reading shop payloads: required and optional fields, copied across with the canonical names, amounts as decimals. */
final class Fields {
    private Fields() {}

    /** @throws IllegalArgumentException naming the field, which the API answers as 400 */
    static String require(JsonNode node, String field) {
        String value = Json.text(node, field);
        if (value == null) throw new IllegalArgumentException("payload needs field '" + field + "'");
        return value;
    }

    static String firstOf(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = Json.text(node, field);
            if (value != null) return value;
        }
        return null;
    }

    /** Copies {@code source.field} to {@code target.name} when present. */
    static void copy(ObjectNode target, String name, JsonNode source, String field) {
        String value = Json.text(source, field);
        if (value != null) target.put(name, value);
    }

    /**
     * A shipping address's fingerprint ({@code address_fingerprint} on an order): street, postcode and country, without
     * case or spacing, hashed, so two orders to one address are seen as one household (a referral to oneself) without
     * the address itself being kept on the event. Nothing when the address has no street.
     */
    static void copyAddressFingerprint(ObjectNode target, JsonNode address, String street, String postcode, String country) {
        String line = Json.text(address, street);
        if (line == null || line.isBlank()) return;
        String normal = (line + "|" + String.valueOf(Json.text(address, postcode)) + "|" + String.valueOf(Json.text(address, country)))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9|]", "");
        target.put("address_fingerprint", Signatures.sha256Hex(normal).substring(0, 16));
    }

    /** Copies the first present of {@code fields} as a plain decimal string. */
    static void copyAmount(ObjectNode target, String name, JsonNode source, String... fields) {
        String value = firstOf(source, fields);
        if (value != null) target.put(name, decimal(value).toPlainString());
    }

    static BigDecimal decimal(String text) {
        try {
            return text == null ? BigDecimal.ZERO : new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an amount: " + text);
        }
    }
}
