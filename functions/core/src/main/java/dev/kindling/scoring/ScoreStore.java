package dev.kindling.scoring;

import dev.kindling.event.BusEvent;
import dev.kindling.event.Stored;
import java.util.List;

/**
 * Where each contact's scores, stage and stage history live (one item per contact beside the profile), and the summary of
 * them the contacts index holds ({@link ScoreSummary}, one small item beside it).
 */
public interface ScoreStore {

    /** The contact's state; {@link ScoreState#EMPTY} at version 0 when none is stored. */
    Stored<ScoreState> scores(String shopId, String contactId);

    /**
     * Writes {@code next} as version {@code expectedVersion + 1} with the events to publish, and with {@code summarized}
     * its {@link ScoreState#indexed() summary} into the contacts index at once; false when another write came first.
     */
    boolean commit(String shopId, String contactId, ScoreState next, long expectedVersion, List<BusEvent> pending, boolean summarized);

    /**
     * Puts {@code summary} into the contacts index for the state {@code stored} (the scheduled refresh's, when the one
     * there came due and nothing else changed); nothing when the scores were written since or a newer summary is there.
     */
    void summarize(String shopId, String contactId, Stored<ScoreState> stored, ScoreSummary summary);

    /** The pending events of that version reached the bus. */
    void published(String shopId, String contactId, long version);
}
