package dev.kindling.event;

/** Puts stored events on the project's bus for scoring, segments and journeys to react to. */
public interface EventPublisher {

    /** Throws when the event did not reach the bus; the caller answers 5xx so the sender retries. */
    void publish(PublishedEvent event);

    /** What goes on the bus: the event and the profile it was stored under. */
    record PublishedEvent(String shopId, String contactId, CanonicalEvent event) {}
}
