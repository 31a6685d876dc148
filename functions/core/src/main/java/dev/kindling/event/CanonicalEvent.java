package dev.kindling.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Identity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One event in the Segment spec's shape, whatever sent it. Shop webhooks become track or identify
 * events with e-commerce v2 names ("Order Completed", "Checkout Started", …) and properties.
 *
 * @param event       the event name for track calls (and for webhook-born identifies such as "Customer Created")
 * @param userId      the shop's customer id or the tracking library's userId
 * @param previousId  for alias calls: the id being merged into userId
 * @param context     the Segment spec's context (ip, userAgent, page, campaign …), when the source sends one
 * @param consent     a consent statement carried by the event, if any
 * @param externalIds ids the source gave the delivery (webhook id, event id, topic)
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
        ConsentChange consent,
        Instant timestamp,
        Instant receivedAt,
        Source source,
        Map<String, String> externalIds) {

    /** This event carrying {@code change} as its consent statement. */
    public CanonicalEvent withConsent(ConsentChange change) {
        return new CanonicalEvent(messageId, type, event, userId, anonymousId, email, previousId, properties, traits, context, change,
                timestamp, receivedAt, source, externalIds);
    }

    /** The identities this event names, strongest first: a user id, then an email, then an anonymous id. */
    public List<Identity> identities() {
        List<Identity> identities = new ArrayList<>(3);
        if (userId != null) identities.add(Identity.user(userId));
        if (email != null) identities.add(Identity.email(email));
        if (anonymousId != null) identities.add(Identity.anonymous(anonymousId));
        return identities;
    }

    /** Identities looked up but never claimed: alias's previousId may be either an anonymous id or a user id. */
    public List<Identity> lookupOnlyIdentities() {
        if (previousId == null) return List.of();
        return List.of(Identity.anonymous(previousId), Identity.user(previousId));
    }
}
