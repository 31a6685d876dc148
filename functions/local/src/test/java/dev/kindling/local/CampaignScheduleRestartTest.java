package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign saved before the local runtime restarts fires after it, on the same {@code --data-dir}: its schedule is
 * made again from the saved campaign at start, as EventBridge Scheduler keeps it across our restarts on AWS; a paused
 * one stays paused.
 */
class CampaignScheduleRestartTest {

    @Test
    void aCampaignSavedBeforeARestartFiresAfterIt(@TempDir Path data) throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-29T12:00:00Z")); // a Sunday noon
        try (LocalRuntime before = new LocalRuntime(new LocalRuntime.Options(0, data, null, clock))) {
            RuntimeClient client = new RuntimeClient(before);
            ok(client.admin("PUT", "/admin/journeys/welcome", "{\"enabled\": false}", "application/json"));
            ok(client.admin("PUT", "/admin/segments/everyone", "{\"condition\": {\"trait\": \"email\", \"op\": \"exists\"}}", "application/json"));
            ObjectNode customer = Json.read("""
                    {"id": 9990, "email": "reader@example.com", "created_at": "2026-11-01T10:00:00-05:00", "updated_at": "2026-11-01T10:00:00-05:00",
                     "first_name": "Reader", "state": "enabled",
                     "email_marketing_consent": {"state": "subscribed", "opt_in_level": "single_opt_in", "consent_updated_at": "2026-11-01T10:00:00-05:00"}}
                    """, ObjectNode.class);
            assertThat(client.shopify("customers/create", customer).statusCode()).isEqualTo(200);
            client.settle();
            ok(client.admin("PUT", "/admin/campaigns/monday", """
                    audience: {segments: [everyone]}
                    message: {template: newsletter}
                    schedule: {cron: "0 9 ? * MON *", zone: UTC}
                    """, "application/yaml"));
            ok(client.admin("PUT", "/admin/campaigns/paused", """
                    audience: {segments: [everyone]}
                    message: {template: newsletter}
                    schedule: {cron: "0 9 ? * MON *", zone: UTC}
                    """, "application/yaml"));
            ok(client.admin("POST", "/admin/campaigns/paused/pause", null, null));
        }
        try (LocalRuntime after = new LocalRuntime(new LocalRuntime.Options(0, data, null, clock))) {
            assertThat(after.scheduler().campaignSchedules()).contains("demo--monday", "demo--paused");
            clock.set(Instant.parse("2026-11-30T09:00:20Z"));
            after.scheduler().runDue();
            new RuntimeClient(after).settle();
            assertThat(after.outbox().all()).as("the monday campaign fired after the restart, the paused one did not")
                    .extracting(e -> e.email().tags().get("campaign")).containsExactly("monday");
        }
    }

    static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 202);
    }
}
