package dev.kindling.segment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Contact;
import dev.kindling.contact.Traits;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

final class SegmentFixtures {
    /** The example: checkout started in the last 24 hours and no order since. */
    static final String ABANDONED_CHECKOUT_YAML = """
            id: abandoned-checkout
            name: Checkout started in the last 24 hours, no order since
            condition:
              all:
                - event: Checkout Started
                  within: {hours: 24}
                - event: Order Completed
                  performed: false
                  afterLast: Checkout Started
            """;

    private SegmentFixtures() {}

    static CanonicalEvent event(String name, Instant at, ObjectNode properties) {
        return new CanonicalEvent("m-" + name + at.toEpochMilli(), EventType.TRACK, name, null, "a", null, null,
                properties == null ? Json.object() : properties, null, null, null, at, at, Source.TRACKING, Map.of());
    }

    static Contact contact(String birthday, String timeZone) {
        Contact c = Contact.create("demo", "c-1");
        return new Contact(c.shopId(), c.contactId(), 1, null, "x@example.com", List.of(),
                new Traits("Ada", null, null, birthday, timeZone, null, "GB", null), Map.of(), c.commerce(), null, null,
                List.of(), null);
    }

    /** Facts with events given oldest first, as they happen; Facts wants newest first. */
    static Facts facts(Contact contact, List<CanonicalEvent> oldestFirst, Instant now, Set<String> segments) {
        List<CanonicalEvent> newestFirst = new ArrayList<>(oldestFirst);
        Collections.reverse(newestFirst);
        return new Facts(contact, Map.of(), null, segments, newestFirst, now);
    }
}
