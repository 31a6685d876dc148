package dev.kindling.event;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One event in the Segment spec's shape, whatever sent it. Shop webhooks become track or identify
 * events with e-commerce v2 names ("Order Completed", "Checkout Started", …) and properties.
 *
 * @param event       the event name for track calls (and for webhook-born identifies such as "Customer Created")
 * @param userId      the shop's customer id or the tracking library's userId
 * @param previousId  for alias calls: the id being merged into userId
 * @param context     the Segment spec's context (ip, userAgent, page, campaign …), when the source sends one
 * @param consents    the consent statements the event carries, at most one per purpose (a Shopify customer carries its
 *                    email and its SMS marketing consent); events stored before SMS carried one, as {@code consent}
 * @param externalIds ids the source gave the delivery (webhook id, event id, topic)
 * @param userVerified a claim whose userId the shop's server vouched for (the call carried its HMAC of the userId,
 *                     {@code context.user_hash}): it may link the anonymous activity it names to that user
 */
public record CanonicalEvent(
        String messageId,
        EventType type,
        String event,
        String userId,
        String anonymousId,
        String email,
        String previousId,
        ObjectNode properties,
        ObjectNode traits,
        ObjectNode context,
        @JsonProperty("consents") @JsonAlias("consent") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<ConsentChange> consents,
        Instant timestamp,
        Instant receivedAt,
        Source source,
        Map<String, String> externalIds,
        boolean userVerified) {

    public CanonicalEvent {
        consents = consents == null ? List.of() : consents.stream().filter(Objects::nonNull).toList();
    }

    /** An event whose source vouches for no user beyond what its trust level says. */
    public CanonicalEvent(String messageId, EventType type, String event, String userId, String anonymousId, String email,
                          String previousId, ObjectNode properties, ObjectNode traits, ObjectNode context, List<ConsentChange> consents,
                          Instant timestamp, Instant receivedAt, Source source, Map<String, String> externalIds) {
        this(messageId, type, event, userId, anonymousId, email, previousId, properties, traits, context, consents, timestamp,
                receivedAt, source, externalIds, false);
    }

    /** The {@link #externalIds} key of an event an import brought in: the import's id. */
    public static final String IMPORT = "import";

    /**
     * Brought in by an import of the shop's history: it shapes the profile, its consent, scores, stages, segments and
     * reports as if it had arrived live, and starts no journey and sends nothing (nor does anything it causes).
     */
    public boolean historical() {
        return externalIds != null && externalIds.containsKey(IMPORT);
    }

    /** This event as an import brings it in ({@link #historical}): marked with the import's id. */
    public CanonicalEvent imported(String importId) {
        Map<String, String> ids = new LinkedHashMap<>(externalIds == null ? Map.of() : externalIds);
        ids.put(IMPORT, importId);
        return new CanonicalEvent(messageId, type, event, userId, anonymousId, email, previousId, properties, traits, context, consents,
                timestamp, receivedAt, source, Map.copyOf(ids), userVerified);
    }

    /** How far what this event says is believed: its source's trust. */
    public Trust trust() {
        return source.trust();
    }

    /** The statement this event makes about one purpose's consent, or null. */
    public ConsentChange consent(String purpose) {
        return consents.stream().filter(c -> purpose.equals(c.purpose())).findFirst().orElse(null);
    }

    /** This event carrying {@code change} too, in place of any statement it made for the same purpose. */
    public CanonicalEvent withConsent(ConsentChange change) {
        List<ConsentChange> next = new ArrayList<>(consents);
        next.removeIf(c -> c.purpose().equals(change.purpose()));
        next.add(change);
        return new CanonicalEvent(messageId, type, event, userId, anonymousId, email, previousId, properties, traits, context, List.copyOf(next),
                timestamp, receivedAt, source, externalIds, userVerified);
    }

    /** This event as it was first stored: a replay whose sender stamped it anew (no timestamp of its own) is the first one. */
    public CanonicalEvent stored(String firstMessageId, Instant firstTimestamp) {
        return new CanonicalEvent(firstMessageId, type, event, userId, anonymousId, email, previousId, properties, traits, context, consents,
                firstTimestamp, receivedAt, source, externalIds, userVerified);
    }

    /** This event naming only the identities given (null: not named), as it is applied to a profile those belong to. */
    public CanonicalEvent naming(String userId, String email, String anonymousId) {
        return new CanonicalEvent(messageId, type, event, userId, anonymousId, email, previousId, properties, traits, context, consents,
                timestamp, receivedAt, source, externalIds, userVerified);
    }

}
