package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh local runtime for each test on a clock the test sets and moves (waits, windows, schedules and flushes happen
 * when it says), and a client to call it as shops, trackers and admins do.
 */
abstract class WithSettableRuntime {
    final SettableClock clock;
    LocalRuntime runtime;
    RuntimeClient client;

    /** @param start where the clock starts for each test */
    WithSettableRuntime(Instant start) {
        clock = new SettableClock(start);
    }

    @BeforeEach
    void startRuntime() throws Exception {
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, clock));
        client = new RuntimeClient(runtime);
    }

    @AfterEach
    void stopRuntime() throws Exception {
        runtime.close();
    }

    /** Waits until what the last calls set going (bus deliveries, journey turns and what they cause) has run. */
    void idle() throws Exception {
        for (int i = 0; i < 5; i++) {
            client.settle();
            assertThat(runtime.journeys().awaitIdle(Duration.ofSeconds(30))).isTrue();
        }
    }

    /** The id of the contact with this email, as the admin API finds them. */
    String contactId(String email) throws Exception {
        return client.adminJson("/admin/contacts?email=" + email).path("contact").path("contactId").asText();
    }

    /** Asserts a call was accepted, showing its body when not. */
    static void ok(java.net.http.HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 202);
    }

    /** SES's event for an email the outbox sent, with the email's tags as SES gives them back, through the bus as on AWS. */
    void ses(String type, LocalOutbox.Sent sent, String userAgent, String ip) {
        ObjectNode what = Json.object();
        if (userAgent != null) what.put("userAgent", userAgent).put("ipAddress", ip);
        if (type.equals("Click")) what.put("link", "https://shop.example/autumn");
        runtime.bus().put(LocalTracking.sesEvent(sent, type, what, clock.instant()));
    }

    /** Moves the clock on, runs the journey turns then due, and waits for them. */
    void skip(Duration d) throws Exception {
        clock.advance(d);
        runtime.journeys().runDue();
        idle();
    }
}
