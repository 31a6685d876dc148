package dev.kindling.event;

import java.util.List;

/** Puts events on the project's bus for scoring, segments and journeys to react to. */
public interface EventPublisher {

    /** Throws when an event did not reach the bus; the caller fails so its trigger is retried. */
    void publish(List<BusEvent> events);

    default void publish(PublishedEvent event) {
        publish(List.of(BusEvent.ingested(event)));
    }

    /** An ingested event and the profile it was stored under. */
    record PublishedEvent(String shopId, String contactId, CanonicalEvent event) {}
}
