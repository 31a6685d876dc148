package dev.kindling.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Contact;
import java.time.Instant;

/**
 * Records an event Kindling makes about a person as the reports count (a loyalty tier reached, a reward earned, a
 * referral converted): ingested like any event, so journeys and segments use it; one event per key however often it
 * is recorded.
 */
public interface EventRecorder {
    void record(String shopId, String key, Contact contact, String event, ObjectNode properties, Instant at);
}
