package dev.kindling.journey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** When a contact last entered each journey, for re-entry rules ("at most once per 7 days"). */
public interface JourneyEntries {

    /**
     * Records an entry at {@code at} unless the contact entered this journey after {@code notBefore}; false when it did.
     * The same entry recorded again (the same {@code at}) is true: a retried step is not a re-entry.
     */
    boolean enter(String shopId, String contactId, String journey, Instant at, Instant notBefore);

    /** When the contact last entered this journey, or empty. */
    Optional<Instant> lastEntered(String shopId, String contactId, String journey);

    /** Records that the contact is in this execution, so an erasure can stop it and an export can list it. */
    void running(String shopId, String contactId, String journey, String execution, Instant at);

    /** Whether {@link #running} recorded this execution (a strongly consistent read: a write's price, a fifth of it). */
    boolean recorded(String shopId, String contactId, String journey, String execution);

    /**
     * An execution the contact was put in, when it started, and what it waits for now (null: no event).
     */
    record Started(String journey, String execution, Instant at, Listening listening) {
        public Started(String journey, String execution, Instant at) {
            this(journey, execution, at, null);
        }
    }

    /**
     * A running execution waits for one of these events until {@code until}, answerable with the callback
     * {@code token}; with {@code matchProperty}, only an event whose property of that name is {@code matchValue}.
     */
    record Listening(List<String> events, String matchProperty, String matchValue, String token, Instant until) {}

    /** Records what the execution now waits for, on its {@code EXEC#} item (a wait for an event: the step that listens). */
    void listen(String shopId, String contactId, String journey, String execution, Listening listening);

    /** The execution heard what it waited for (or stopped waiting): nothing more to answer. */
    void heard(String shopId, String contactId, String journey, String execution);

    /** The executions the contact was put in since {@code since} (running or ended: the engine knows which). */
    List<Started> startedSince(String shopId, String contactId, Instant since);
}
