package dev.kindling.scoring;

import dev.kindling.event.BusEvent;
import dev.kindling.event.Stored;
import java.util.List;

/** Where each contact's scores, stage and stage history live (one item per contact beside the profile). */
public interface ScoreStore {

    /** The contact's state; {@link ScoreState#EMPTY} at version 0 when none is stored. */
    Stored<ScoreState> scores(String shopId, String contactId);

    /** Writes {@code next} as version {@code expectedVersion + 1} with the events to publish; false when another write came first. */
    boolean commit(String shopId, String contactId, ScoreState next, long expectedVersion, List<BusEvent> pending);

    /** The pending events of that version reached the bus. */
    void published(String shopId, String contactId, long version);
}
