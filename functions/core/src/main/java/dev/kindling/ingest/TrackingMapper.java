package dev.kindling.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.EventNames;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.event.Trust;
import dev.kindling.json.Json;
import dev.kindling.shop.Signatures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Segment-spec messages (identify, track, page, screen, group, alias) as analytics.js,
 * analytics-java and RudderStack send them. Validated per the spec; the timestamp is corrected for
 * the device's clock skew the way Segment does ({@code receivedAt - (sentAt - timestamp)}).
 *
 * <p>What a call says is believed as far as its key allows ({@link Trust}): the public write key's calls are
 * claims ({@link Source#TRACKING}), the secret server key's authority ({@link Source#SERVER}). A claim's
 * timestamp further from its receipt than {@link #CLAIM_PAST} back or {@link #CLAIM_FUTURE} ahead is not
 * believed: the event is recorded at its receipt and the stated time kept as {@code context.claimed_timestamp},
 * so nobody can make a profile look older than a customer's to win a merge or move a history around. A browser
 * identify may carry {@code context.user_hash}, the shop server's HMAC-SHA256 of the user id keyed with the
 * server key (hex, as Intercom's identity verification does): it vouches for the user id, and one that does not
 * match refuses the call.
 */
final class TrackingMapper {
    static final int MAX_MESSAGE_ID = 256;
    /** How far back a claim's clock is believed: offline browser and mobile queues flush within a day. */
    static final Duration CLAIM_PAST = Duration.ofHours(24);
    /** How far ahead a claim's clock is believed: a device clock a little fast, not a date to come. */
    static final Duration CLAIM_FUTURE = Duration.ofMinutes(5);

    private final Trust trust;
    private final String serverKey;

    /**
     * @param trust     CLAIM for the public write key (and Segment's relays of it), AUTHORITY for the secret server key
     * @param serverKey the shop's server key, which signs {@code user_hash}; null when the shop has none
     */
    TrackingMapper(Trust trust, String serverKey) {
        this.trust = trust;
        this.serverKey = serverKey;
    }

    /**
     * @param type          the call type from the path, or null to take it from the message (batch)
     * @param batchSentAt   a batch's sentAt, used when the message has none
     * @throws IllegalArgumentException naming the field that is wrong
     */
    CanonicalEvent map(String type, JsonNode message, String batchSentAt, Instant receivedAt) {
        if (!message.isObject()) throw new IllegalArgumentException("message must be a JSON object");
        String typeName = type != null ? type : Json.text(message, "type");
        EventType callType = EventType.fromWireName(typeName)
                .orElseThrow(() -> new IllegalArgumentException("type must be one of identify, track, page, screen, group, alias; was " + typeName));
        EventBuilder event = new EventBuilder(trust.isClaim() ? Source.TRACKING : Source.SERVER, receivedAt).type(callType)
                .userId(optionalText(message, "userId"))
                .anonymousId(optionalText(message, "anonymousId"));
        String messageId = optionalText(message, "messageId");
        if (messageId != null && messageId.length() > MAX_MESSAGE_ID) {
            throw new IllegalArgumentException("messageId is longer than " + MAX_MESSAGE_ID + " characters");
        }
        event.messageId(messageId != null ? messageId : "derived-" + Signatures.sha256Hex(message.toString()));
        ObjectNode traits = object(message, "traits");
        ObjectNode context = object(message, "context");
        ObjectNode properties = object(message, "properties");
        if (callType == EventType.GROUP) {
            // a group's traits describe the group (the account, the company), not the person: they go with the event
            // as group_traits, and neither its name nor its email ever becomes the person's
            if (traits != null) properties = withObject(properties, "group_traits", traits);
            traits = null;
        }
        String email = traits != null ? Json.text(traits, "email") : null;
        if (email == null && context != null) email = Json.text(context.path("traits"), "email");
        if (email == null && properties != null && callType == EventType.TRACK) email = Json.text(properties, "email");
        event.email(email).traits(traits != null ? traits : contextTraits(context)).context(context)
                .properties(properties != null ? properties : Json.object());
        switch (callType) {
            case TRACK -> event.event(requireText(message, "event"));
            case PAGE -> event.event(EventNames.PAGE_VIEWED);
            case SCREEN -> event.event(EventNames.SCREEN_VIEWED);
            case GROUP -> event.properties(withField(properties, "group_id", requireText(message, "groupId")));
            case ALIAS -> {
                event.previousId(requireText(message, "previousId"));
                requireText(message, "userId");
            }
            case IDENTIFY -> {
                event.consent(SmsConsent.tracking(traits, trust, receivedAt));
                ConsentChange signUp = emailConsent(traits, receivedAt);
                if (signUp != null) {
                    event.consent(signUp);
                    // a sign-up starts the welcome journey, whose first step asks the address to confirm
                    if (signUp.state() == ConsentChange.State.pending) event.event(EventNames.EMAIL_SUBSCRIPTION_REQUESTED);
                }
            }
        }
        if ((callType == EventType.PAGE || callType == EventType.SCREEN) && Json.text(message, "name") != null) {
            event.properties(withField(properties, "name", Json.text(message, "name")));
        }
        if (!event.hasIdentity()) throw new IllegalArgumentException("message needs userId or anonymousId");
        Instant stated = correctedTimestamp(message, batchSentAt, receivedAt);
        if (trust.isClaim() && (stated.isBefore(receivedAt.minus(CLAIM_PAST)) || stated.isAfter(receivedAt.plus(CLAIM_FUTURE)))) {
            event.context(withField(context, "claimed_timestamp", stated.toString()));
            stated = receivedAt;
        }
        event.timestamp(stated);
        if (trust.isClaim()) event.userVerified(userHashVouches(message, context));
        return event.build();
    }

    /**
     * Consent carried by an identify: {@code traits.email_marketing_consent.state} as Shopify spells it.
     * The write key is public, so a call saying "subscribed" is a sign-up request (pending, confirmed
     * by double opt-in), never consent itself; "unsubscribed" is honoured at once.
     */
    static ConsentChange emailConsent(ObjectNode traits, Instant receivedAt) {
        JsonNode stated = traits == null ? null : traits.get("email_marketing_consent");
        if (stated == null || !stated.isObject()) return null;
        String state = Json.text(stated, "state");
        if (state == null) return null;
        ConsentChange.State mapped = switch (state) {
            case "subscribed", "pending" -> ConsentChange.State.pending;
            case "unsubscribed" -> ConsentChange.State.withdrawn;
            default -> throw new IllegalArgumentException("traits.email_marketing_consent.state must be subscribed, pending or unsubscribed; was " + state);
        };
        return new ConsentChange(ConsentChange.EMAIL_MARKETING, mapped, null, receivedAt,
                "tracking identify (write key) stating email_marketing_consent " + state);
    }

    /**
     * Whether the call's {@code context.user_hash} is the server key's HMAC of its userId. Absent: the user id is a
     * claim. Present and wrong (or the shop has no server key to check it with): the call is refused, as a forged
     * signature is.
     */
    private boolean userHashVouches(JsonNode message, ObjectNode context) {
        String hash = context == null ? null : Json.text(context, "user_hash");
        if (hash == null) return false;
        String userId = optionalText(message, "userId");
        if (userId == null) throw new IllegalArgumentException("context.user_hash needs the userId it vouches for");
        if (serverKey == null || !Signatures.verifyHexSha256(serverKey, userId.strip().getBytes(StandardCharsets.UTF_8), hash)) {
            throw new IllegalArgumentException("context.user_hash does not match userId (it is the hex HMAC-SHA256 of the userId with the shop's server key)");
        }
        return true;
    }

    /**
     * The stated time, corrected by how far the device's clock is off: the call arrived {@code receivedAt - sentAt} after
     * the device says it sent it. Up to {@link #TRIP} of that is the trip (a slow network, a clock a little off), not a
     * clock worth correcting: the stated time is kept then, the same for each retry of the call, so the stored event's key
     * tells a retry by itself ({@link dev.kindling.contact.ContactCommit#keyedByItsEvent}).
     */
    private static Instant correctedTimestamp(JsonNode message, String batchSentAt, Instant receivedAt) {
        Instant timestamp = statedTime(message);
        if (timestamp == null) return receivedAt;
        Instant sentAt = instant(message, "sentAt");
        if (sentAt == null && batchSentAt != null) sentAt = parse("sentAt", batchSentAt);
        if (sentAt == null || Duration.between(sentAt, receivedAt).abs().compareTo(TRIP) <= 0) return timestamp;
        return receivedAt.minus(Duration.between(timestamp, sentAt));
    }

    /** How far a call's receipt may be from its {@code sentAt} before the device's clock is corrected (see above). */
    static final Duration TRIP = Duration.ofSeconds(2);

    /** The time a call states it happened ({@code timestamp}, else {@code originalTimestamp}); null when it states none. */
    static Instant statedTime(JsonNode message) {
        Instant timestamp = instant(message, "timestamp");
        return timestamp != null ? timestamp : instant(message, "originalTimestamp");
    }

    private static Instant instant(JsonNode message, String field) {
        String text = optionalText(message, field);
        return text == null ? null : parse(field, text);
    }

    private static Instant parse(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 date-time with an offset; was " + text);
        }
    }

    private static String optionalText(JsonNode message, String field) {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual() && !value.isNumber()) throw new IllegalArgumentException(field + " must be a string");
        String text = value.asText();
        return text.isBlank() ? null : text;
    }

    private static String requireText(JsonNode message, String field) {
        String value = optionalText(message, field);
        if (value == null) throw new IllegalArgumentException(field + " is required");
        return value;
    }

    private static ObjectNode object(JsonNode message, String field) {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isObject()) throw new IllegalArgumentException(field + " must be an object");
        return (ObjectNode) value;
    }

    private static ObjectNode contextTraits(ObjectNode context) {
        JsonNode traits = context == null ? null : context.get("traits");
        return traits != null && traits.isObject() ? (ObjectNode) traits : null;
    }

    private static ObjectNode withObject(ObjectNode properties, String name, ObjectNode value) {
        ObjectNode copy = properties == null ? Json.object() : properties.deepCopy();
        copy.set(name, value);
        return copy;
    }

    private static ObjectNode withField(ObjectNode properties, String name, String value) {
        ObjectNode copy = properties == null ? Json.object() : properties.deepCopy();
        return copy.put(name, value);
    }
}
