package dev.kindling.event;

import java.util.List;

/** Puts events on the project's bus for scoring, segments and journeys to react to. */
public interface EventPublisher {

    /** Throws when an event did not reach the bus; the caller fails so its trigger is retried. */
    void publish(List<BusEvent> events);

    default void publish(PublishedEvent event) {
        publish(List.of(BusEvent.ingested(event)));
    }

    /**
     * An ingested event and the profile it was stored under. {@code doNotSell}: the person opted out of the sale or
     * sharing of their data (CCPA), so a rule forwarding events to an outbound integration must leave this one out.
     */
    record PublishedEvent(String shopId, String contactId, CanonicalEvent event, boolean doNotSell) {}
}
