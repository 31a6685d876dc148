package dev.kindling.journey.asl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An execution written down and read back before every run goes exactly where an uninterrupted one
 * goes: the local engine persists executions this way, so a restarted runtime resumes every journey.
 */
class ExecutionSnapshotTest {

    @Test
    void everyJourneyScenarioRestoredBeforeEveryRunEndsAsTheUninterruptedRun() throws Exception {
        List<ConformanceTest.Case> cases = ConformanceTest.cases();
        AtomicInteger restores = new AtomicInteger();
        for (ConformanceTest.Case c : cases) {
            Execution whole = ConformanceTest.runOurs(c);
            Execution e = ConformanceTest.runOurs(c, running -> {
                restores.incrementAndGet();
                return Execution.restore(Json.read(Json.write(running.snapshot()), JsonNode.class));
            });
            String what = c.journey() + " / " + c.scenario();
            assertThat(e.status()).as(what).isEqualTo(whole.status());
            assertThat(e.path()).as(what).isEqualTo(whole.path());
            assertThat(e.output()).as(what).isEqualTo(whole.output());
            assertThat(e.transitions()).as(what).isEqualTo(whole.transitions());
            assertThat(Execution.restore(e.snapshot()).snapshot()).as(what + ": a finished execution reads back the same").isEqualTo(e.snapshot());
        }
        assertThat(restores.get()).as("restored mid-journey, not only at the start").isGreaterThan(cases.size() * 2);
    }
}
