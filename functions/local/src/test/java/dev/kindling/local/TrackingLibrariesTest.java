package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.segment.analytics.Analytics;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.TrackMessage;
import dev.kindling.contact.Identity;
import dev.kindling.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tracking libraries shops use, unchanged, pointed where the README points them, IngestFunction's function URL
 * (the stack's {@code TrackingUrl}; locally under {@code /lambda-url/IngestFunction}): Segment's analytics-java
 * (posts to /v1/import/ with a trailing slash), Segment's analytics-node, RudderStack's Node SDK (gzip
 * bodies), and analytics.js's request shapes (short paths, text/plain, CORS preflight). Each must
 * deliver identify, track, page and alias to one contact. (The same routes on the HTTP API, where shops set up
 * before the URL send, are what the other end-to-end tests call.)
 */
class TrackingLibrariesTest {
    static LocalRuntime runtime;
    static String base;
    static String tracking;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, DaytimeClock.ticking()));
        base = "http://127.0.0.1:" + runtime.port();
        tracking = base + LocalServer.FUNCTION_URLS + "IngestFunction";
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    @Test
    void segmentsJavaLibraryDeliversEveryCallToOneContact() throws Exception {
        String user = "java-" + UUID.randomUUID();
        // a backend library: it sends the shop's secret server key
        Analytics analytics = Analytics.builder(ShopsFile.DEMO.serverKey()).endpoint(tracking).flushQueueSize(4).build();
        try {
            analytics.enqueue(IdentifyMessage.builder().userId(user).traits(Map.of("email", user + "@example.com", "firstName", "Jav")));
            analytics.enqueue(TrackMessage.builder("Product Viewed").userId(user).properties(Map.of("product_id", "p-9", "price", 9)));
            analytics.enqueue(PageMessage.builder("Home").userId(user));
            analytics.enqueue(AliasMessage.builder(user).userId(user + "-new"));
            analytics.flush();
        } finally {
            analytics.shutdown();
        }
        assertDelivered(user, "Jav");
    }

    @Test
    void segmentsAndRudderStacksNodeLibrariesAndAnalyticsJsShapesDeliverEveryCall() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Process node = new ProcessBuilder("node", "tools/tracking-clients.mjs", tracking, ShopsFile.DEMO.writeKey(), ShopsFile.DEMO.serverKey(), run)
                .directory(Path.of("../..").toFile()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor()).as(output).isZero();
        JsonNode report = Json.MAPPER.readTree(output.lines().reduce((a, b) -> b).orElseThrow());
        assertThat(report.path("segment").path("errors")).as(output).isEmpty();
        assertThat(report.path("rudder").path("errors")).as(output).isEmpty();

        JsonNode browser = report.path("browser");
        assertThat(browser.path("preflight").path("status").asInt()).isEqualTo(204);
        assertThat(browser.path("preflight").path("allowOrigin").asText()).isEqualTo("*");
        assertThat(browser.path("preflight").path("allowHeaders").asText()).containsIgnoringCase("authorization").containsIgnoringCase("content-type");
        assertThat(browser.path("statuses")).allSatisfy(status -> assertThat(status.asInt()).as(browser.toString()).isEqualTo(200));
        assertThat(browser.path("allowOrigin").asText()).isEqualTo("*");

        assertDelivered("segment-" + run, "Sego");
        assertDelivered("rudder-" + run, "Rudi");
        assertDelivered("browser-" + run, "Brow", false);
        // analytics.js's anonymous visit before the identify is the same person's
        JsonNode browserContact = contact("browser-" + run + "@example.com");
        assertThat(events(browserContact)).contains("Product Viewed", "Page Viewed", "Product Added");
    }

    @Test
    void theSubscribeEndpointAnswersABrowsersPreflight() throws Exception {
        var preflight = http.send(HttpRequest.newBuilder(URI.create(base + "/email/demo/subscribe"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://shop.example.com")
                .header("Access-Control-Request-Method", "POST").build(), BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).contains("*");
        var refused = http.send(HttpRequest.newBuilder(URI.create(base + "/email/demo/subscribe")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("access-control-allow-origin")).as("errors are readable by the page too").contains("*");
    }

    /**
     * The function URL reaches IngestFunction's routes only, matched on method and path as the HTTP API matches them: the
     * admin API is not behind it (404 naming the path), a method a route lacks is 405, and nothing is stored for either.
     */
    @Test
    void theTrackingUrlAnswersTheIngestRoutesAndNothingElse() throws Exception {
        var admin = http.send(HttpRequest.newBuilder(URI.create(tracking + "/admin/contacts?email=x@example.com"))
                .header("Authorization", "Bearer " + ShopsFile.DEMO.adminToken()).build(), BodyHandlers.ofString());
        assertThat(admin.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(admin.body()).path("message").asText()).isEqualTo("no route GET /admin/contacts");
        var get = http.send(HttpRequest.newBuilder(URI.create(tracking + "/v1/track")).build(), BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).contains("OPTIONS, POST");
        var signed = http.send(HttpRequest.newBuilder(URI.create(tracking + "/webhooks/shopify/demo")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), BodyHandlers.ofString());
        assertThat(signed.statusCode()).as("a webhook here is checked as on the API: unsigned, refused").isEqualTo(401);
    }

    /** The user's contact holds its traits and its track and page events, and the alias's new id reaches it. */
    private static void assertDelivered(String user, String firstName) throws Exception {
        assertDelivered(user, firstName, true);
    }

    /**
     * @param aliasLinks whether the library's alias links the new user id: from the shop's backend (the server key) it
     *                   does; from a browser (the public write key) an alias between two user ids is a claim and links nothing
     */
    private static void assertDelivered(String user, String firstName, boolean aliasLinks) throws Exception {
        JsonNode contact = contact(user + "@example.com");
        assertThat(contact.path("contact").path("traits").path("firstName").asText()).as(user).isEqualTo(firstName);
        assertThat(events(contact)).as(user).contains("Product Viewed", "Page Viewed");
        String contactId = contact.path("contact").path("contactId").asText();
        var newId = runtime.services().contacts().lookup("demo", List.of(Identity.user(user + "-new")));
        if (aliasLinks) {
            assertThat(newId).as("alias(previousId: " + user + ", userId: " + user + "-new) links the new id to the same contact")
                    .containsValue(contactId);
        } else {
            assertThat(newId).as("a browser's alias links no user id to a known customer").doesNotContainValue(contactId);
        }
    }

    private static List<String> events(JsonNode contact) {
        return StreamSupport.stream(contact.path("events").spliterator(), false).map(e -> e.path("event").asText()).toList();
    }

    /** The contact by email, once the library's asynchronous delivery has arrived (up to 20 s). */
    private static JsonNode contact(String email) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            var response = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/contacts?email=" + email))
                    .header("Authorization", "Bearer " + ShopsFile.DEMO.adminToken()).build(), BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                JsonNode contact = Json.MAPPER.readTree(response.body());
                if (events(contact).contains("Page Viewed")) return contact;
            }
            if (System.nanoTime() > deadline) throw new AssertionError(email + ": " + response.statusCode() + " " + response.body());
            Thread.sleep(100);
        }
    }
}
