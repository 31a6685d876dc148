package dev.kindling.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Contact;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorerTest {
    static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
    final ScoringModel model = ScoringModel.defaults();
    ScoreState state = ScoreState.EMPTY;
    Contact contact = Contact.create("demo", "c-1");
    final List<CanonicalEvent> history = new ArrayList<>();
    int seq;

    Scorer.Result apply(String name, Instant at) {
        return apply(name, at, Json.object());
    }

    Scorer.Result apply(String name, Instant at, ObjectNode props) {
        CanonicalEvent e = new CanonicalEvent("m-" + (seq++), EventType.TRACK, name, null, "a", null, null, props, null, null,
                null, at, at, Source.SERVER, Map.of());
        contact = contact.apply(e);
        history.add(e);
        return step(e, at);
    }

    Scorer.Result step(CanonicalEvent e, Instant now) {
        List<CanonicalEvent> newestFirst = new ArrayList<>(history);
        Collections.reverse(newestFirst);
        Scorer.Result r = Scorer.apply(model, state, contact, e, newestFirst, now);
        state = r.state();
        return r;
    }

    double points(String group, Instant now) {
        return state.points(group, model.halfLives().get(group), now);
    }

    @Test
    void theDefaultsLoadAndNameTheirGroups() {
        assertThat(model.groups()).containsExactly("engagement", "intent");
        assertThat(model.rules()).extracting(ScoringRule::id).contains("site-visit", "product-viewed", "checkout-started", "order",
                "email-opened", "email-clicked", "form-submitted", "unsubscribed");
    }

    @Test
    void anOpenApplesPrivacyProxyMadeScoresNothingWhereThePersonsOwnDoes() {
        assertThat(apply("Email Opened", T0, Json.object().put("machine_open", true)).changed()).isEmpty();
        assertThat(apply("Email Opened", T0.plusSeconds(60)).changed()).containsKey("engagement");
        assertThat(points("engagement", T0.plusSeconds(60))).isCloseTo(1, within(0.001));
    }

    @Test
    void pointsAreCappedPerPeriodAndDecayWithTheHalfLife() {
        for (int i = 0; i < 12; i++) apply("Product Viewed", T0.plusSeconds(60L * i));
        Instant now = T0.plusSeconds(3600);
        assertThat(points("engagement", now)).isCloseTo(30, within(0.05)); // 10 a day at 3 points, less an hour's decay
        assertThat(points("intent", now)).isCloseTo(5, within(0.05));      // 5 a day at 1 point
        assertThat(points("engagement", now.plus(Duration.ofDays(30)))).isCloseTo(points("engagement", now) / 2, within(1e-9));
        assertThat(points("intent", now.plus(Duration.ofDays(28)))).isCloseTo(points("intent", now) / 4, within(1e-9));

        apply("Product Viewed", T0.plus(Duration.ofDays(1)).plusSeconds(60)); // a new day: counts again
        assertThat(points("engagement", T0.plus(Duration.ofDays(1)).plusSeconds(60))).isGreaterThan(30 * Math.pow(0.5, 1.0 / 30) + 2.9);
    }

    @Test
    void anEventOlderThanWhatTheGroupCountsAddsItsPointsAsDecayedSinceThen() {
        // imported history can arrive after newer events: a signup 30 days (engagement's half-life) before a form
        apply("Form Submitted", T0.plus(Duration.ofDays(30)));
        double formOnly = points("engagement", T0.plus(Duration.ofDays(30)));
        CanonicalEvent older = new CanonicalEvent("m-old", EventType.TRACK, "Signed Up", null, "a", null, null, Json.object(), null, null,
                null, T0, T0, Source.SERVER, Map.of());
        history.add(older);
        step(older, T0);
        // the signup's 10 points have halved by the form's time, and the group is still as of that time
        assertThat(points("engagement", T0.plus(Duration.ofDays(30)))).isCloseTo(formOnly + 5, within(1e-9));
        assertThat(state.groups().get("engagement").asOf()).isEqualTo(T0.plus(Duration.ofDays(30)));
    }

    @Test
    void onceMeansOnceAndNegativePointsSubtract() {
        apply("Signed Up", T0);
        apply("Signed Up", T0.plus(Duration.ofDays(40)));
        assertThat(points("engagement", T0.plus(Duration.ofDays(40)))).isCloseTo(10 * Math.pow(0.5, 40.0 / 30), within(1e-9));
        Scorer.Result r = apply("Unsubscribed", T0.plus(Duration.ofDays(40)));
        assertThat(r.changed().get("engagement")[1]).isCloseTo(10 * Math.pow(0.5, 40.0 / 30) - 20, within(0.01));
    }

    @Test
    void theSameEventAppliedTwiceCountsOnce() {
        CanonicalEvent e = new CanonicalEvent("dup", EventType.TRACK, "Checkout Started", null, "a", null, null, Json.object(),
                null, null, null, T0, T0, Source.TRACKING, Map.of());
        history.add(e);
        step(e, T0);
        Scorer.Result again = step(e, T0);
        assertThat(again.isChange()).isFalse();
        assertThat(points("intent", T0)).isEqualTo(15);
    }

    @Test
    void anEventThatScoresNothingAndMovesNoStageLeavesTheStateAsItWas() {
        apply("Page Viewed", T0);
        for (int i = 1; i < 5; i++) apply("Page Viewed", T0.plusSeconds(i));
        ScoreState capped = state;
        assertThat(capped.recent()).hasSize(5);
        // the sixth page view of the day is over site-visit's cap, and an event no rule names scores nothing: neither is
        // written (the state is equal, so the scores item is not put), and applied again each still changes nothing
        Scorer.Result sixth = apply("Page Viewed", T0.plusSeconds(5));
        Scorer.Result identify = apply("Identify Called", T0.plusSeconds(6));
        assertThat(sixth.isChange()).isFalse();
        assertThat(identify.isChange()).isFalse();
        assertThat(state).isEqualTo(capped);
        assertThat(step(history.getLast(), T0.plusSeconds(7)).state()).isEqualTo(capped);
        // what scores is still remembered, so its redelivery counts once
        Scorer.Result cart = apply("Product Added", T0.plusSeconds(8));
        assertThat(cart.isChange()).isTrue();
        assertThat(step(history.getLast(), T0.plusSeconds(9)).isChange()).isFalse();
        assertThat(points("intent", T0.plusSeconds(9))).isCloseTo(8, within(0.01));
    }

    @Test
    void theFunnelThenTheLoyaltyLoopAndBackwards() {
        assertThat(apply("Page Viewed", T0).stageChanges()).extracting(ScoreState.StageChange::to).containsExactly("awareness");
        apply("Product Viewed", T0.plusSeconds(60));
        apply("Product Viewed", T0.plusSeconds(120));
        assertThat(state.stage()).as("engagement 7").isEqualTo("awareness");
        for (int i = 0; i < 4; i++) apply("Page Viewed", T0.plusSeconds(130 + i));
        assertThat(state.stage()).as("engagement 11, less minutes of decay").isEqualTo("interest");
        apply("Product Viewed", T0.plusSeconds(180));
        assertThat(state.stage()).isEqualTo("consideration");
        apply("Checkout Started", T0.plusSeconds(240));
        assertThat(state.stage()).isEqualTo("intent");
        apply("Checkout Started", T0.plusSeconds(300));
        assertThat(state.stage()).isEqualTo("evaluation");
        apply("Order Completed", T0.plusSeconds(360), Json.object().put("order_id", "1").put("total", "50"));
        assertThat(state.stage()).isEqualTo("purchase");
        apply("Order Fulfilled", T0.plus(Duration.ofDays(2)), Json.object().put("order_id", "1").put("total", "50"));
        assertThat(state.stage()).isEqualTo("enjoyment");
        apply("nps.submitted", T0.plus(Duration.ofDays(10)), Json.object().put("score", 10));
        assertThat(state.stage()).isEqualTo("advocacy");

        apply("Order Completed", T0.plus(Duration.ofDays(20)), Json.object().put("order_id", "2").put("total", "70"));
        assertThat(state.stage()).as("a new order restarts the loop").isEqualTo("purchase");
        step(null, T0.plus(Duration.ofDays(28)));
        assertThat(state.stage()).as("a week on, enjoyment; a repeat customer bonds").isEqualTo("bond");

        step(null, T0.plus(Duration.ofDays(20 + 91)));
        assertThat(state.stage()).isEqualTo("at_risk");
        step(null, T0.plus(Duration.ofDays(20 + 181)));
        assertThat(state.stage()).isEqualTo("lapsed");
        assertThat(state.history()).extracting(ScoreState.StageChange::to).containsExactly("awareness", "interest", "consideration",
                "intent", "evaluation", "purchase", "enjoyment", "advocacy", "purchase", "enjoyment", "bond", "at_risk", "lapsed");
    }

    @Test
    void leadsCoolOffWhenTheirScoresDecay() {
        apply("Page Viewed", T0);
        for (int i = 0; i < 4; i++) apply("Product Viewed", T0.plusSeconds(i));
        assertThat(state.stage()).isEqualTo("consideration");
        step(null, T0.plus(Duration.ofDays(200)));
        assertThat(state.stage()).isEqualTo("awareness");
    }

    @Test
    void aModelIsValidatedWithPaths() {
        assertThatThrownBy(() -> ScoringModel.fromYaml("""
                groups: {engagement: {halfLifeDays: -1}}
                rules:
                  - {id: a, event: X, group: engagement, points: 0}
                  - {id: a, event: Y, group: engagement, points: 1, atMost: {times: 0}}
                stages:
                  - {to: nowhere}
                """)).hasMessageContaining("groups.engagement.halfLifeDays").hasMessageContaining("rules[0].points")
                .hasMessageContaining("rules[1].id").hasMessageContaining("rules[1].atMost").hasMessageContaining("stages[0].to")
                .hasMessageContaining("stages[0]: needs onEvent");
    }
}
