package dev.kindling.contact;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.json.Json;
import java.time.Instant;
import java.util.Objects;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the consent ledger: a statement about one purpose (email marketing, a topic) with
 * its evidence: when, where it came from, the IP address and user agent that made it, and the
 * event that carried it.
 */
public record ConsentRecord(
        String purpose,
        ConsentChange.State state,
        String optInLevel,
        Instant at,
        String source,
        String evidence,
        String ip,
        String userAgent,
        String eventId) {

    /**
     * The ledger entries an event makes: one per purpose whose consent its statement changed (its state or opt-in level,
     * or the first statement), so the same consent restated on every order is not written again.
     */
    static List<ConsentRecord> of(CanonicalEvent event, Contact before, Contact after) {
        List<ConsentRecord> records = new ArrayList<>();
        for (ConsentChange change : event.consents()) {
            Consent was = before.consent().get(change.purpose());
            Consent now = after.consent().get(change.purpose());
            Consent stated = Consent.from(change, event.source().wireName());
            if (!stated.equals(now)) continue; // an older statement than the one on record
            if (was != null && was.state() == now.state() && Objects.equals(was.optInLevel(), now.optInLevel())) continue;
            JsonNode context = event.context();
            records.add(new ConsentRecord(change.purpose(), change.state(), change.optInLevel(),
                    change.at() != null ? change.at() : event.timestamp(), event.source().wireName(), change.evidence(),
                    context == null ? null : Json.text(context, "ip"), context == null ? null : Json.text(context, "userAgent"),
                    event.messageId()));
        }
        return List.copyOf(records);
    }
}
