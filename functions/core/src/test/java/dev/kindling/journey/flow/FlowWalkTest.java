package dev.kindling.journey.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.journey.flow.Flow.Step;
import dev.kindling.json.Json;
import dev.kindling.segment.Condition;
import dev.kindling.send.MessageRecord;
import dev.kindling.send.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The steps a turn counts as reached, and the step an end is placed at (the journey stats' per-step counts). */
class FlowWalkTest {
    static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    static final Flow FLOW = FlowParserTest.parse("renewal", """
            trigger: {event: Policy Purchased}
            steps:
              - {id: reminder, send: policy-reminder}
              - {id: pause, wait: P2D}
              - {id: consented, if: {consent: granted}, else: "exit:no_consent"}
              - {id: last-call, send: policy-last-call}
            """);

    /** A person whose sends go out, or are deferred while {@code deferUntil} is set. */
    static class Person implements FlowWalk.World {
        final List<String> reached = new ArrayList<>();
        ConsentChange.State consent = ConsentChange.State.granted;
        Instant deferUntil;

        @Override public List<CanonicalEvent> sinceEntry() { return List.of(); }
        @Override public ConsentChange.State consent(String purpose) { return consent; }
        @Override public ZoneId zone() { return ZoneOffset.UTC; }
        @Override public boolean holds(Condition condition) { return false; }
        @Override public void update(Step.Update step) {}
        @Override public void publish(Step.Publish step, CanonicalEvent event) {}
        @Override public void reached(Step step) { reached.add(step.id()); }

        @Override
        public SendResult send(Step.Send step, String template, ObjectNode state) {
            return deferUntil != null ? new SendResult("m", MessageRecord.Status.deferred, "frequency_cap", deferUntil, null)
                    : new SendResult("m", MessageRecord.Status.sent, null, null, "ses-1");
        }
    }

    static ObjectNode entered() {
        return Json.object().put("contactId", "c-1").put("enteredAt", T0.toString()).put("at", 0);
    }

    @Test
    void aWaitUntilTheirBestTimeWakesAtTheirNextBestHourInTheirZone() {
        Flow flow = FlowParserTest.parse("best", """
                trigger: {event: Checkout Started}
                steps:
                  - {id: best, wait: {until: best_time}}
                  - {id: reminder, send: policy-reminder}
                """);
        assertThat(((Step.Wait) flow.steps().getFirst()).bestTime()).isTrue();
        Person newYorker = new Person() {
            @Override public ZoneId zone() { return ZoneId.of("America/New_York"); }
            @Override public int bestHour(java.time.LocalDate day) { return day.getDayOfMonth() == 10 ? 14 : 16; }
        };
        // 07:00 in New York on the 10th: today at their 14:00
        ObjectNode morning = FlowWalk.turn(flow, entered(), newYorker, Instant.parse("2026-12-10T12:00:00Z"));
        assertThat(morning.path("wake").asText()).isEqualTo("2026-12-10T19:00:00Z");
        // 15:00 there: today's hour has gone, so tomorrow's best hour (16:00 on the 11th)
        ObjectNode afternoon = FlowWalk.turn(flow, entered(), newYorker, Instant.parse("2026-12-10T20:00:00Z"));
        assertThat(afternoon.path("wake").asText()).isEqualTo("2026-12-11T21:00:00Z");
    }

    @Test
    void eachStepIsReachedOnceAcrossTurnsAndADeferredSendTakenUpAgainIsNotReachedAgain() {
        Person person = new Person();
        person.deferUntil = T0.plus(Duration.ofHours(3));
        ObjectNode state = FlowWalk.turn(FLOW, entered(), person, T0);
        assertThat(state.path("at").asInt()).as("the same send, later").isZero();
        person.deferUntil = null;
        ObjectNode waiting = FlowWalk.turn(FLOW, state, person, T0.plus(Duration.ofHours(3)));
        assertThat(person.reached).containsExactly("reminder", "pause");
        Instant later = T0.plus(Duration.ofDays(3));
        JourneyEnded done = catchThrowableOfType(JourneyEnded.class, () -> FlowWalk.turn(FLOW, waiting, person, later));
        assertThat(done.getMessage()).isEqualTo("completed");
        assertThat(person.reached).containsExactly("reminder", "pause", "consented", "last-call");
    }

    @Test
    void aGoalThatCameBeforeTheEntrysTurnRanEndsItAtTheFirstStepReached() {
        Person person = new Person();
        Flow withGoal = FlowParserTest.parse("renewal", """
                trigger: {event: Policy Purchased}
                goals: [Policy Renewed]
                steps:
                  - {id: pause, wait: P2D}
                  - {id: reminder, send: policy-reminder}
                """);
        CanonicalEvent renewed = new CanonicalEvent("e-1", EventType.TRACK, "Policy Renewed", "c-1", null, null, null,
                Json.object(), null, null, null, T0.plusSeconds(60), T0.plusSeconds(60), Source.TRACKING, Map.of());
        FlowWalk.World renewedAlready = new Person() {
            @Override public List<CanonicalEvent> sinceEntry() { return List.of(renewed); }
            @Override public void reached(Step step) { person.reached.add(step.id()); }
        };
        JourneyEnded goal = catchThrowableOfType(JourneyEnded.class, () -> FlowWalk.turn(withGoal, entered(), renewedAlready, T0.plusSeconds(90)));
        assertThat(goal.getMessage()).isEqualTo("goal");
        assertThat(goal.step()).isEqualTo("pause");
        assertThat(person.reached).as("left from the step it reached").containsExactly("pause");
    }

    @Test
    void anExitIsPlacedAtTheStepThePersonLeftFrom() {
        Person person = new Person();
        person.consent = ConsentChange.State.withdrawn;
        ObjectNode state = FlowWalk.turn(FLOW, entered(), person, T0);
        Instant later = T0.plus(Duration.ofDays(2));
        JourneyEnded left = catchThrowableOfType(JourneyEnded.class, () -> FlowWalk.turn(FLOW, state, person, later));
        assertThat(left.getMessage()).isEqualTo("no_consent");
        assertThat(left.step()).isEqualTo("consented");
        assertThat(person.reached).containsExactly("reminder", "pause", "consented");
    }
}
