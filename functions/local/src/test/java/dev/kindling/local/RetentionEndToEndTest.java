package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shop's retention policy ({@code purgeInactiveMonths} in its record) through the local runtime: the
 * scheduled refresh finds the people with no activity past it and PrivacyFunction erases them, as an erasure
 * request would; people active since, and the shops without a policy (the default), keep everyone.
 */
class RetentionEndToEndTest {
    final HttpClient http = HttpClient.newHttpClient();
    SettableClock clock;
    LocalRuntime runtime;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        Path shops = dir.resolve("shops.yaml");
        Files.writeString(shops, """
                shops:
                  - {id: tidy, name: Tidy, shopifySecret: tidy-shopify-secret, wooSecret: tidy-woo-secret, writeKey: tidy-write-key,
                     adminToken: tidy-admin-token, linkSecret: tidy-link-secret-0123456789abcdef0123456, purgeInactiveMonths: 6}
                """);
        clock = new SettableClock(DaytimeClock.noonToday());
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, shops, clock));
    }

    @AfterEach
    void stop() throws Exception {
        runtime.close();
    }

    @Test
    void peopleInactivePastTheShopsRetentionAreErasedByTheScheduledRefreshAndNobodyElse() throws Exception {
        identify("tidy-write-key", "alice", "alice@example.com");
        identify("tidy-write-key", "bob", "bob@example.com");
        identify("demo-write-key", "carol", "carol@example.com");
        settle();

        clock.advance(Duration.ofDays(152)); // five months on: alice comes back, nobody is past six months yet
        identify("tidy-write-key", "alice", "alice@example.com");
        settle();
        assertThat(refresh().path("tidy").path("purgeRequested").asLong()).isZero();

        // Kindling's own records of bob are not bob doing anything: his mail bouncing, a proxy fetching his email's images
        var kindling = runtime.services().kindlingEvents();
        var bob = new dev.kindling.ingest.KindlingEvents.Person("bob", null);
        kindling.record("tidy", "bounce-bob", bob, "Email Bounced", Json.object().put("message_id", "m1"), null, null, null, clock.instant());
        kindling.record("tidy", "proxy-open-bob", bob, "Email Opened", Json.object().put("message_id", "m1").put("machine_open", true),
                null, null, null, clock.instant());
        settle();
        clock.advance(Duration.ofDays(40)); // bob last seen six months and some days ago; alice 40 days ago
        JsonNode refreshed = refresh();
        settle();
        assertThat(refreshed.path("tidy").path("purgeRequested").asLong()).as(refreshed.toString()).isEqualTo(1);
        assertThat(refreshed.path("demo").path("purgeRequested").asLong()).as("no policy, no purge").isZero();
        assertThat(admin("tidy-admin-token", "/admin/contacts?email=bob@example.com").statusCode()).isEqualTo(404);
        assertThat(admin("tidy-admin-token", "/admin/contacts?email=alice@example.com").statusCode()).isEqualTo(200);
        assertThat(admin("demo-admin-token", "/admin/contacts?email=carol@example.com").statusCode()).as("the demo shop keeps everyone").isEqualTo(200);
        JsonNode audit = Json.read(admin("tidy-admin-token", "/admin/audit").body(), JsonNode.class).path("entries");
        assertThat(audit.toString()).contains("\"action\":\"erase\"").contains("retention: no activity for 6 months").doesNotContain("bob");

        assertThat(refresh().path("tidy").path("purgeRequested").asLong()).as("bob is gone; a refresh finds nobody more").isZero();
    }

    void identify(String writeKey, String userId, String email) throws Exception {
        String body = Json.write(Json.object().put("userId", userId).put("messageId", userId + "-" + clock.instant().toEpochMilli())
                .set("traits", Json.object().put("email", email)));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port() + "/v1/identify"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)))
                .POST(BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    HttpResponse<String> admin(String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port() + path))
                .header("Authorization", "Bearer " + token).build(), BodyHandlers.ofString());
    }

    /** The schedule's run, as EventBridge Scheduler fires it. */
    JsonNode refresh() throws Exception {
        return Json.read(new String(runtime.scheduler().run("SegmentRefreshFunction.Schedule"), StandardCharsets.UTF_8), JsonNode.class);
    }

    void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            assertThat(runtime.bus().awaitQuiet(Duration.ofSeconds(60))).isTrue();
            assertThat(runtime.journeys().awaitIdle(Duration.ofSeconds(60))).isTrue();
        }
    }
}
