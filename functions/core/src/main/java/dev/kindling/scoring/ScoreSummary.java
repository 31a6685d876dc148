package dev.kindling.scoring;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What the contacts index keeps of a person's scores, so the hourly refresh reads the scores item only of those whose
 * scores may have crossed, with time alone, a value a stage rule or segment compares them with: the stage (which every
 * refresh reads), and the earliest instant a decaying score can cross such a value ({@code due}; null: none can). The
 * scores item is written with most events; in the index, each of those writes was written twice.
 *
 * <p>{@code due} is never later than the crossing, and may be earlier: points an event adds move every crossing later
 * (further to decay), so a summary need not be written again for them; points taken away, a first rise above a value, a
 * new stage or a changed model or segment ({@code basis}) do write it ({@link #needsWriting}).
 *
 * @param basis the {@linkplain ScoreThresholds#basis() thresholds' basis} {@code due} was worked out with
 */
public record ScoreSummary(String stage, Instant due, String basis) {
    /** Worked out a little early, and to the minute: the floating point never makes it late, and equal states give equal summaries. */
    static final Duration EARLY = Duration.ofMinutes(1);

    public static ScoreSummary of(ScoreState state, ScoreThresholds thresholds, Instant now) {
        Instant due = null;
        for (var group : state.groups().entrySet()) {
            Duration halfLife = thresholds.halfLives().get(group.getKey());
            double points = group.getValue().points();
            if (halfLife == null || points == 0) continue;
            for (double value : thresholds.of(group.getKey())) {
                // decay takes points towards 0: it crosses the values between them and 0, when points / 2^(t / halfLife) = value
                if (value == 0 || Math.signum(value) != Math.signum(points) || Math.abs(value) > Math.abs(points)) continue;
                double halfLives = Math.log(points / value) / Math.log(2);
                Instant crossing = group.getValue().asOf().plusMillis((long) (halfLives * halfLife.toMillis()));
                if (crossing.isBefore(now.minus(EARLY))) continue; // crossed before now: whoever works this out evaluated it after
                if (due == null || crossing.isBefore(due)) due = crossing;
            }
        }
        return new ScoreSummary(state.stage(), due == null ? null : due.minus(EARLY).truncatedTo(ChronoUnit.MINUTES), thresholds.basis());
    }

    /** Whether the scores must be read to know this person now: a crossing is due, or the summary is of another basis. */
    public boolean dueBy(Instant now, ScoreThresholds thresholds) {
        return !basis.equals(thresholds.basis()) || due != null && !due.isAfter(now);
    }

    /**
     * Whether the index's summary, {@code written} with the state last (null: never), must be replaced by {@code fresh}:
     * the stage or basis changed, its due instant passed, or a crossing now comes before it.
     */
    public static boolean needsWriting(ScoreSummary written, ScoreSummary fresh, Instant now) {
        if (written == null || !Objects.equals(written.stage, fresh.stage) || !written.basis.equals(fresh.basis)) return true;
        if (written.due != null && !written.due.isAfter(now)) return !written.equals(fresh);
        return fresh.due != null && (written.due == null || fresh.due.isBefore(written.due));
    }
}
