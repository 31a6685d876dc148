package dev.kindling.segment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Contact;
import dev.kindling.contact.Traits;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

final class SegmentFixtures {
    private SegmentFixtures() {}

    static CanonicalEvent event(String name, Instant at, ObjectNode properties) {
        return new CanonicalEvent("m-" + name + at.toEpochMilli(), EventType.TRACK, name, null, "a", null, null,
                properties == null ? Json.object() : properties, null, null, null, at, at, Source.TRACKING, Map.of());
    }

    static Contact contact(String birthday, String timeZone) {
        Contact c = Contact.create("demo", "c-1");
        return new Contact(c.shopId(), c.contactId(), 1, null, "x@example.com", List.of(),
                new Traits("Ada", null, null, birthday, timeZone, null, "GB", null), Map.of(), c.commerce(), null, null, 0,
                List.of(), null);
    }

    /** Facts with events given oldest first, as they happen; Facts wants newest first. */
    static Facts facts(Contact contact, List<CanonicalEvent> oldestFirst, Instant now, Set<String> segments) {
        List<CanonicalEvent> newestFirst = new java.util.ArrayList<>(oldestFirst);
        java.util.Collections.reverse(newestFirst);
        return new Facts(contact, Map.of(), null, segments, newestFirst, now);
    }
}
