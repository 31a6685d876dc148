package dev.kindling.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.segment.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScoreSummaryTest {
    static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
    /** The default model compares engagement with 10 and 3 and intent with 3; half-lives 30 and 14 days. */
    final ScoreThresholds defaults = ScoreThresholds.of(ScoringModel.defaults(), List.of());

    static ScoreState scores(double engagement, double intent, Instant asOf, String stage) {
        return new ScoreState(Map.of("engagement", new ScoreState.GroupScore(engagement, asOf), "intent", new ScoreState.GroupScore(intent, asOf)),
                Map.of(), stage, List.of(), List.of());
    }

    @Test
    void theDefaultModelsThresholdsAreTheValuesItsStageRulesCompareScoresWith() {
        assertThat(defaults.values()).isEqualTo(Map.of("engagement", Set.of(3.0, 10.0), "intent", Set.of(3.0)));
        var withSegment = ScoreThresholds.of(ScoringModel.defaults(), List.of(new Condition.Score("engagement", Condition.Op.gte, 50)));
        assertThat(withSegment.of("engagement")).containsExactly(3.0, 10.0, 50.0);
        assertThat(withSegment.basis()).isNotEqualTo(defaults.basis());
    }

    @Test
    void dueIsAMinuteBeforeTheFirstValueADecayingScoreCrosses() {
        // engagement 12 halves in 30 days: it reaches 10 after 30 × log2(1.2) = 7.89 days; intent 6 reaches 3 after 14 days
        ScoreSummary summary = ScoreSummary.of(scores(12, 6, T0, "interest"), defaults, T0);
        Instant crossing = T0.plusMillis((long) (Math.log(1.2) / Math.log(2) * Duration.ofDays(30).toMillis()));
        assertThat(summary.due()).isBefore(crossing).isAfter(crossing.minus(Duration.ofMinutes(2)));
        assertThat(summary.stage()).isEqualTo("interest");
        assertThat(summary.basis()).isEqualTo(defaults.basis());

        assertThat(summary.dueBy(crossing.minus(Duration.ofMinutes(5)), defaults)).isFalse();
        assertThat(summary.dueBy(crossing, defaults)).isTrue();
        assertThat(summary.dueBy(T0, ScoreThresholds.of(ScoringModel.defaults(), List.of(new Condition.Score("intent", Condition.Op.lt, 1)))))
                .as("worked out for other thresholds").isTrue();
    }

    @Test
    void aScoreUnderEveryValueOrNotDecayingIsNeverDue() {
        assertThat(ScoreSummary.of(scores(2, 1, T0, "awareness"), defaults, T0).due()).isNull();
        assertThat(ScoreSummary.of(ScoreState.EMPTY, defaults, T0).due()).isNull();
        ScoreThresholds noDecay = ScoreThresholds.of(new ScoringModel(Map.of(), List.of(), ScoringModel.defaults().stages()), List.of());
        assertThat(ScoreSummary.of(scores(50, 50, T0, "interest"), noDecay, T0).due()).isNull();
    }

    @Test
    void negativePointsCrossNegativeValuesAsTheyDecayTowardsZero() {
        ScoringModel model = ScoringModel.fromYaml("""
                groups: {engagement: {halfLifeDays: 10}}
                rules: []
                stages:
                  - {id: forgiven, from: [lapsed], to: awareness, when: {score: engagement, op: gt, value: -5}}
                """);
        ScoreSummary summary = ScoreSummary.of(scores(-20, 0, T0, "lapsed"), ScoreThresholds.of(model, List.of()), T0);
        assertThat(summary.due()).isBefore(T0.plus(Duration.ofDays(20))).isAfter(T0.plus(Duration.ofDays(20)).minus(Duration.ofMinutes(2)));
    }

    @Test
    void theSummaryIsWrittenAgainOnlyWhenItNoLongerHolds() {
        ScoreSummary written = ScoreSummary.of(scores(12, 6, T0, "interest"), defaults, T0);
        Instant later = T0.plus(Duration.ofHours(2));
        assertThat(ScoreSummary.needsWriting(null, written, T0)).as("none yet").isTrue();
        assertThat(ScoreSummary.needsWriting(written, ScoreSummary.of(scores(15, 6, later, "interest"), defaults, later), later))
                .as("points added: every crossing later, the one written still comes first").isFalse();
        assertThat(ScoreSummary.needsWriting(written, ScoreSummary.of(scores(10.5, 6, later, "interest"), defaults, later), later))
                .as("points taken away: a crossing sooner").isTrue();
        assertThat(ScoreSummary.needsWriting(written, ScoreSummary.of(scores(15, 6, later, "consideration"), defaults, later), later))
                .as("another stage").isTrue();
        Instant afterDue = written.due().plusSeconds(60);
        assertThat(ScoreSummary.needsWriting(written, ScoreSummary.of(scores(15, 6, afterDue, "interest"), defaults, afterDue), afterDue))
                .as("the one written came due").isTrue();
        ScoreSummary nothingAhead = ScoreSummary.of(scores(2, 1, T0, "awareness"), defaults, T0);
        assertThat(ScoreSummary.needsWriting(nothingAhead, ScoreSummary.of(scores(4, 1, later, "awareness"), defaults, later), later))
                .as("a first rise above a value: a crossing where there was none").isTrue();
    }
}
