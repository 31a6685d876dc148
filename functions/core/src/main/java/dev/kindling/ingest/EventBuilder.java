package dev.kindling.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Commerce;
import dev.kindling.contact.Identity;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.json.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Assembles a {@link CanonicalEvent} field by field, for the source mappers. */
final class EventBuilder {
    private final Source source;
    private final Instant receivedAt;
    private String messageId;
    private EventType type = EventType.TRACK;
    private String event;
    private String userId;
    private String anonymousId;
    private String email;
    private String previousId;
    private ObjectNode properties = Json.object();
    private ObjectNode traits;
    private ObjectNode context;
    private final List<ConsentChange> consents = new ArrayList<>();
    private Instant timestamp;
    private boolean userVerified;
    private final Map<String, String> externalIds = new LinkedHashMap<>();

    EventBuilder(Source source, Instant receivedAt) {
        this.source = source;
        this.receivedAt = receivedAt;
    }

    EventBuilder messageId(String v) { messageId = v; return this; }
    EventBuilder type(EventType v) { type = v; return this; }
    EventBuilder event(String v) { event = v; return this; }
    EventBuilder userId(String v) { userId = blankToNull(v); return this; }
    EventBuilder anonymousId(String v) { anonymousId = blankToNull(v); return this; }
    EventBuilder previousId(String v) { previousId = blankToNull(v); return this; }
    EventBuilder properties(ObjectNode v) { properties = v; return this; }
    ObjectNode properties() { return properties; }
    EventBuilder traits(ObjectNode v) { traits = v; return this; }
    EventBuilder context(ObjectNode v) { context = v; return this; }
    /** Adds a consent statement (null: none); a second for the same purpose replaces the first. */
    EventBuilder consent(ConsentChange v) {
        if (v != null) {
            consents.removeIf(c -> c.purpose().equals(v.purpose()));
            consents.add(v);
        }
        return this;
    }
    EventBuilder timestamp(Instant v) { timestamp = v; return this; }
    EventBuilder userVerified(boolean v) { userVerified = v; return this; }
    EventBuilder externalId(String name, String value) { if (value != null) externalIds.put(name, value); return this; }

    /** Only a well-formed address becomes an identity; anything else stays out of the profile's email. */
    EventBuilder email(String v) {
        email = Identity.looksLikeEmail(v) ? Identity.normaliseEmail(v) : null;
        return this;
    }

    boolean hasIdentity() {
        return userId != null || anonymousId != null || email != null;
    }

    /**
     * Ids become keys (an identity, a delivery marker, an event's sort key), and keys are bounded: a longer id
     * than any shop or library uses is refused with its name, rather than failing the store.
     */
    static final int MAX_ID_CHARS = 256;

    CanonicalEvent build() {
        requireShort("userId", userId);
        requireShort("anonymousId", anonymousId);
        requireShort("previousId", previousId);
        requireShort("email", email);
        requireShort("messageId", messageId);
        requireShort("event", event);
        requireCurrency(properties);
        requireAmounts(properties);
        return new CanonicalEvent(messageId, type, event, userId, anonymousId, email, previousId, properties, traits,
                context, List.copyOf(consents), timestamp != null ? timestamp : receivedAt, receivedAt, source, Map.copyOf(externalIds), userVerified);
    }

    private static void requireShort(String field, String value) {
        if (value != null && value.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException(field + " is longer than " + MAX_ID_CHARS + " characters");
        }
    }

    /**
     * Money is kept per currency, so a currency must be one: an ISO 4217 code (upper-cased here, as libraries send
     * "usd" too). Anything else is refused with the field's name rather than stored to fail wherever it is shown.
     */
    private static void requireCurrency(ObjectNode properties) {
        if (properties == null || !properties.has("currency") || properties.get("currency").isNull()) return;
        String code = properties.get("currency").asText().strip().toUpperCase(Locale.ROOT);
        boolean known = code.matches("[A-Z]{3}") && Currency.getAvailableCurrencies().stream().anyMatch(c -> c.getCurrencyCode().equals(code));
        if (!known) {
            String shown = properties.get("currency").asText();
            throw new IllegalArgumentException("properties.currency must be an ISO 4217 code such as EUR; was "
                    + (shown.length() > 20 ? shown.substring(0, 20) + "…" : shown));
        }
        properties.put("currency", code);
    }

    /** Money fields an order or a refund carries; reports add them up into numbers DynamoDB keeps. */
    static final List<String> AMOUNTS = List.of("total", "revenue", "value", "subtotal", "tax", "shipping", "discount");

    /** No order in any currency comes near it, and sums of such amounts stay far inside DynamoDB's numbers (10^125). */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("1e15");

    /**
     * An amount is a number a report can add: one below {@link #MAX_AMOUNT} in magnitude, read as the reports read it
     * ({@link Commerce#amount}: what is not a number counts as none). A larger one (1e308 from a broken or hostile
     * sender) is refused with the field's name, rather than stored for the report's sums to fail on every retry.
     */
    private static void requireAmounts(ObjectNode properties) {
        if (properties == null) return;
        for (String field : AMOUNTS) requireAmount("properties." + field, properties, field);
        JsonNode refunds = properties.get("refunds");
        if (refunds != null && refunds.isArray()) {
            for (int i = 0; i < refunds.size(); i++) requireAmount("properties.refunds[" + i + "].amount", refunds.get(i), "amount");
        }
    }

    private static void requireAmount(String shownName, JsonNode holder, String field) {
        if (Commerce.amount(holder, field).abs().compareTo(MAX_AMOUNT) < 0) return;
        String shown = holder.get(field).asText();
        throw new IllegalArgumentException(shownName + " must be an amount below 10^15; was " + (shown.length() > 20 ? shown.substring(0, 20) + "…" : shown));
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
