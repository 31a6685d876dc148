package dev.kindling.handler.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.audience.ScoreUpdate;
import dev.kindling.audience.SegmentEvaluation;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.event.BusEvent;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventPublisher.PublishedEvent;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.bus.BusEventHandler;
import dev.kindling.json.Json;
import dev.kindling.lazy.Lazy;
import dev.kindling.report.ReportCounting;
import dev.kindling.segment.ContactChange;
import java.util.Optional;

/**
 * EventFunction: the one consumer every ingested event has for what it makes of its person. It is scored with the
 * shop's model (stage moves; score.changed and stage.changed published), the segments it can affect are settled
 * (segment.entered and segment.exited published), and it is counted for the reports. One invocation where three
 * functions each took the event; each part is safe to run twice (scores and the report ledger remember the events
 * they applied, segments settle to the same), so a retry after any part failed repeats nothing.
 */
public final class EventHandler extends BusEventHandler {
    private final ContactStore contacts;
    private final ScoreUpdate scores;
    private final SegmentEvaluation segments;
    private final ReportCounting counting;

    /** For Lambda. */
    public EventHandler() {
        this(AwsWiring.services().contacts(), AwsWiring.services().scoreUpdate(), AwsWiring.services().segmentEvaluation(),
                AwsWiring.services().reportCounting());
    }

    public EventHandler(ContactStore contacts, ScoreUpdate scores, SegmentEvaluation segments, ReportCounting counting) {
        this.contacts = contacts;
        this.scores = scores;
        this.segments = segments;
        this.counting = counting;
    }

    @Override
    protected ObjectNode handle(String source, String detailType, JsonNode detail, JsonNode envelope) {
        if (!BusEvent.EVENT_INGESTED.equals(detailType)) throw new IllegalArgumentException("EventFunction takes " + BusEvent.EVENT_INGESTED + ", not " + detailType);
        PublishedEvent ingested = Json.MAPPER.convertValue(detail, PublishedEvent.class);
        String shopId = ingested.shopId(), contactId = ingested.contactId();
        if (shopId == null || contactId == null || ingested.event() == null) {
            throw new IllegalArgumentException("an " + BusEvent.EVENT_INGESTED + " event names its shopId, contactId and event");
        }
        CanonicalEvent event = ingested.event();
        // the person read once, when the first part needs them, for all three (each reads again after a lost write)
        Lazy<Optional<Contact>> person = Lazy.of(() -> contacts.current(shopId, contactId));
        // imported history is scored by the import, each person's batch at once (ScoredHistory)
        if (!event.historical()) scores.apply(shopId, contactId, person, event);
        SegmentEvaluation.Outcome outcome = segments.onChange(shopId, contactId, person, ContactChange.of(event));
        counting.seen(shopId, event);
        counting.event(shopId, contactId, person, event);
        ObjectNode result = Json.object();
        result.set("entered", Json.MAPPER.valueToTree(outcome.entered()));
        result.set("exited", Json.MAPPER.valueToTree(outcome.exited()));
        return result;
    }
}
