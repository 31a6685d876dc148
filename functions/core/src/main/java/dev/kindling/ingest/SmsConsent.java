package dev.kindling.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.Trust;
import dev.kindling.json.Json;
import dev.kindling.sms.Phones;
import java.time.Instant;

/**
 * SMS marketing consent and phone numbers as the sources state them: Shopify's {@code sms_marketing_consent} on
 * customers, orders and checkouts; a WooCommerce order's or customer's {@code sms_consent} meta field (a plugin's
 * checkbox); and a tracking identify's {@code traits.sms_marketing_consent} or {@code traits.sms_consent}. Consent to
 * texts is its own: email consent never implies it, nor it email's.
 */
final class SmsConsent {
    private SmsConsent() {}

    /** Shopify's {@code sms_marketing_consent} (state, opt_in_level, consent_updated_at, consent_collected_from), or null. */
    static ConsentChange shopify(JsonNode customer, String evidence) {
        JsonNode smc = customer.path("sms_marketing_consent");
        String state = Json.text(smc, "state");
        if (!smc.isObject() || state == null) return null;
        ConsentChange.State mapped = switch (state) {
            case "subscribed" -> ConsentChange.State.granted;
            case "unsubscribed" -> ConsentChange.State.withdrawn;
            case "pending" -> ConsentChange.State.pending;
            default -> ConsentChange.State.not_given; // not_subscribed, redacted
        };
        String collected = Json.text(smc, "consent_collected_from");
        return new ConsentChange(ConsentChange.SMS_MARKETING, mapped, Json.text(smc, "opt_in_level"),
                Times.parseOrNull(Json.text(smc, "consent_updated_at")), collected == null ? evidence : evidence + " (collected from " + collected + ")");
    }

    /** A WooCommerce {@code meta_data} entry {@code sms_consent} (yes/no, 1/0, true/false), or null when there is none. */
    static ConsentChange wooCommerce(JsonNode metaData, Instant at, String evidence) {
        for (JsonNode meta : metaData) {
            String key = Json.text(meta, "key");
            if (!"sms_consent".equals(key) && !"_sms_consent".equals(key)) continue;
            String value = meta.path("value").asText("").strip().toLowerCase(java.util.Locale.ROOT);
            boolean yes = value.equals("yes") || value.equals("1") || value.equals("true");
            return new ConsentChange(ConsentChange.SMS_MARKETING, yes ? ConsentChange.State.granted : ConsentChange.State.not_given, null, at,
                    evidence + " (meta " + key + " = " + value + ")");
        }
        return null;
    }

    /**
     * A tracking identify's statement: {@code traits.sms_marketing_consent.state} (subscribed, unsubscribed) or
     * {@code traits.sms_consent} (true, false). The shop's server (the secret key) grants; the public write key can only
     * ask (pending: it sends no text) or withdraw. Stating consent needs a phone that is a number.
     */
    static ConsentChange tracking(ObjectNode traits, Trust trust, Instant receivedAt) {
        if (traits == null) return null;
        JsonNode stated = traits.path("sms_marketing_consent").path("state");
        JsonNode flag = traits.path("sms_consent");
        Boolean yes = stated.isTextual() ? switch (stated.asText()) {
            case "subscribed" -> Boolean.TRUE;
            case "unsubscribed", "not_subscribed" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("traits.sms_marketing_consent.state must be subscribed or unsubscribed; was " + stated.asText());
        } : flag.isBoolean() ? flag.asBoolean() : null;
        if (yes == null) {
            if (!flag.isMissingNode() && !flag.isNull()) throw new IllegalArgumentException("traits.sms_consent must be true or false");
            return null;
        }
        if (yes && Phones.e164(Json.text(traits, "phone"), countryOf(traits)).isEmpty()) {
            throw new IllegalArgumentException("traits.phone must be a phone number (E.164 such as +14155550123, or a national number with"
                    + " traits.address.country_code) to consent to texts");
        }
        ConsentChange.State state = !yes ? ConsentChange.State.withdrawn : trust.isClaim() ? ConsentChange.State.pending : ConsentChange.State.granted;
        return new ConsentChange(ConsentChange.SMS_MARKETING, state, null, receivedAt,
                "tracking identify (" + (trust.isClaim() ? "write key" : "server key") + ") stating SMS consent " + yes);
    }

    /**
     * The phone trait in E.164 when it is a number (read in the country the traits name, if it has no {@code +}); as
     * given otherwise, so the shop still sees what the person typed. A number that is not valid is never texted.
     */
    static void normalisePhone(ObjectNode traits) {
        if (traits == null || Json.text(traits, "phone") == null) return;
        Phones.e164(Json.text(traits, "phone"), countryOf(traits)).ifPresent(number -> traits.put("phone", number));
    }

    private static String countryOf(JsonNode traits) {
        String country = Json.text(traits.path("address"), "country_code");
        return country != null && country.matches("[A-Za-z]{2}") ? country : null;
    }
}
