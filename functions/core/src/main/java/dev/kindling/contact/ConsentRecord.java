package dev.kindling.contact;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.json.Json;
import java.time.Instant;
import java.util.Optional;

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

    /** The ledger entry a commit writes: only a statement that became the purpose's current consent. */
    public static Optional<ConsentRecord> of(ContactCommit commit) {
        CanonicalEvent event = commit.event();
        ConsentChange change = event.consent();
        if (change == null) return Optional.empty();
        Optional<Contact> owner = commit.profiles().stream().map(ContactCommit.VersionedContact::next)
                .filter(c -> c.contactId().equals(commit.contactId())).findFirst();
        Consent stated = Consent.from(change, event.source().wireName());
        if (owner.isEmpty() || !stated.equals(owner.get().consent().get(change.purpose()))) return Optional.empty();
        JsonNode context = event.context();
        return Optional.of(new ConsentRecord(change.purpose(), change.state(), change.optInLevel(),
                change.at() != null ? change.at() : event.timestamp(), event.source().wireName(), change.evidence(),
                context == null ? null : Json.text(context, "ip"), context == null ? null : Json.text(context, "userAgent"),
                event.messageId()));
    }
}
