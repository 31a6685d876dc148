package dev.kindling.contact;

import dev.kindling.event.ConsentChange;
import java.time.Instant;

/** The current consent for one purpose, with the evidence of the statement that set it. */
public record Consent(ConsentChange.State state, String optInLevel, Instant updatedAt, String source, String evidence) {

    static Consent from(ConsentChange change, String source) {
        return new Consent(change.state(), change.optInLevel(), change.at(), source, change.evidence());
    }

    /** The newer statement wins; a statement without a time never overrides one with a time. */
    boolean isNewerThan(Consent other) {
        if (other == null) return true;
        if (updatedAt == null) return false;
        return other.updatedAt == null || !updatedAt.isBefore(other.updatedAt);
    }
}
