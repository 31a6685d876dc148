package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The "done when", over HTTP on 127.0.0.1 through the local runtime: the same handlers, DynamoDB
 * Local and the bus. Requests are the sample events' exact bodies and headers (signed as Shopify and
 * WooCommerce sign them).
 */
class LocalRuntimeEndToEndTest {
    static LocalRuntime runtime;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, DaytimeClock.ticking()));
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    static URI url(String path) {
        return URI.create("http://127.0.0.1:" + runtime.port() + path);
    }

    /** Replays a sample API Gateway event as the HTTP request it stands for. */
    static HttpResponse<String> replay(String sample, Map<String, String> overrideHeaders, String overrideBody) throws Exception {
        JsonNode event = Json.MAPPER.readTree(Files.readString(Path.of("../../events", sample)));
        HttpRequest.Builder request = HttpRequest.newBuilder(url(event.get("rawPath").asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = event.get("headers").fields(); it.hasNext(); ) {
            var h = it.next();
            if (!overrideHeaders.containsKey(h.getKey())) request.header(h.getKey(), h.getValue().asText());
        }
        overrideHeaders.forEach(request::header);
        String body = overrideBody != null ? overrideBody : event.get("body").asText();
        return http.send(request.POST(BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
    }

    static HttpResponse<String> replay(String sample) throws Exception {
        return replay(sample, Map.of(), null);
    }

    static HttpResponse<String> admin(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(url(pathAndQuery)).header("Authorization", "Bearer demo-admin-token").build(),
                BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) {
        return Json.read(response.body(), JsonNode.class);
    }

    @Test
    void healthAnswers200() throws Exception {
        assertThat(http.send(HttpRequest.newBuilder(url("/health")).build(), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void aShopifyOrderMakesAContactAndReplaysLeaveOneEventAndAForgeryStoresNothing() throws Exception {
        for (int i = 0; i < 4; i++) assertThat(replay("IngestFunction/shopify-orders-create.json").statusCode()).isEqualTo(200);

        JsonNode view = json(admin("/admin/contacts?email=jon%40example.com"));
        assertThat(view.at("/contact/email").asText()).isEqualTo("jon@example.com");
        assertThat(view.at("/contact/commerce/orders").asInt()).isEqualTo(1);
        assertThat(view.at("/contact/commerce/totalSpent").decimalValue()).isEqualByComparingTo("403.00");
        assertThat(view.get("events")).hasSize(1);
        assertThat(view.at("/events/0/event").asText()).isEqualTo("Order Completed");

        String otherBody = Files.readString(Path.of("../../events/payloads/shopify-orders-create.json")).replace("jon@example.com", "eve@example.com");
        HttpResponse<String> forged = replay("IngestFunction/shopify-orders-create.json", Map.of("x-shopify-webhook-id", "forged-1"), otherBody);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(json(forged).get("error").asText()).isEqualTo("unauthorized");
        assertThat(admin("/admin/contacts?email=eve%40example.com").statusCode()).isEqualTo(404);
    }

    @Test
    void aWooCommerceOrderMakesAContactAndReplaysLeaveOneEventAndAForgeryStoresNothing() throws Exception {
        for (int i = 0; i < 4; i++) assertThat(replay("IngestFunction/woocommerce-order-created.json").statusCode()).isEqualTo(200);

        JsonNode view = json(admin("/admin/contacts?email=marie%40example.com"));
        assertThat(view.at("/contact/commerce/orders").asInt()).isEqualTo(1);
        assertThat(view.at("/contact/commerce/totalSpent").decimalValue()).isEqualByComparingTo("29.35");
        assertThat(view.get("events")).hasSize(1);

        String otherBody = Files.readString(Path.of("../../events/payloads/woocommerce-order-created.json")).replace("marie@example.com", "mallory@example.com");
        assertThat(replay("IngestFunction/woocommerce-order-created.json", Map.of("x-wc-webhook-delivery-id", "forged"), otherBody).statusCode()).isEqualTo(401);
        assertThat(admin("/admin/contacts?email=mallory%40example.com").statusCode()).isEqualTo(404);
    }

    @Test
    void anAnonymousTrackThenIdentifyIsOneContactWithBothEventsAndReplaysAndBadKeysChangeNothing() throws Exception {
        for (int i = 0; i < 3; i++) assertThat(replay("IngestFunction/tracking-track.json").statusCode()).isEqualTo(200);
        for (int i = 0; i < 3; i++) assertThat(replay("IngestFunction/tracking-identify.json").statusCode()).isEqualTo(200);
        String badKey = "Basic " + Base64.getEncoder().encodeToString("wrong-key:".getBytes());
        assertThat(replay("IngestFunction/tracking-track.json", Map.of("authorization", badKey), null).statusCode()).isEqualTo(401);

        JsonNode view = json(admin("/admin/contacts?email=grace%40example.com"));
        assertThat(view.at("/contact/userId").asText()).isEqualTo("u-4471");
        assertThat(view.get("events")).hasSize(2);
        assertThat(view.at("/events/1/event").asText()).isEqualTo("Product Viewed");
        assertThat(view.at("/events/1/anonymousId").asText()).isEqualTo("507f191e810c19729de860ea");

        String id = view.at("/contact/contactId").asText();
        assertThat(json(admin("/admin/contacts/" + id)).at("/contact/email").asText()).isEqualTo("grace@example.com");
    }

    @Test
    void theAdminApiWantsAValidTokenAndAnswersJsonErrors() throws Exception {
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(url("/admin/contacts?email=jon%40example.com")).build(), BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json(none).get("error").asText()).isEqualTo("unauthorized");
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(url("/admin/contacts?email=jon%40example.com"))
                .header("Authorization", "Bearer demo-admin-tokem").build(), BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(admin("/admin/contacts?email=not-an-email").statusCode()).isEqualTo(400);
        assertThat(admin("/admin/contacts/../../etc").statusCode()).isIn(400, 404);
    }

    @Test
    void ingestedEventsGoOnTheBus() throws Exception {
        replay("IngestFunction/shopify-checkouts-create.json");
        JsonNode events = Json.read(http.send(HttpRequest.newBuilder(url("/local/events")).build(), BodyHandlers.ofString()).body(), JsonNode.class);
        boolean found = false;
        for (JsonNode e : events) {
            found |= e.get("source").asText().equals("kindling.ingest") && e.at("/detail/event/event").asText().equals("Checkout Started");
        }
        assertThat(found).isTrue();
    }

    @Test
    void theLambdaInvokeApiRunsAFunctionWithAnEvent() throws Exception {
        String event = Files.readString(Path.of("../../events/AdminFunction/contact-by-email.json"));
        replay("IngestFunction/shopify-orders-create.json");
        HttpResponse<String> invoked = http.send(HttpRequest.newBuilder(url("/2015-03-31/functions/AdminFunction/invocations"))
                .POST(BodyPublishers.ofString(event)).build(), BodyHandlers.ofString());
        assertThat(invoked.statusCode()).isEqualTo(200);
        assertThat(json(invoked).get("statusCode").asInt()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(url("/2015-03-31/functions/Nope/invocations"))
                .POST(BodyPublishers.ofString("{}")).build(), BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    @Test
    void anOversizedWebhookIs413() throws Exception {
        String huge = "{\"id\": 1, \"pad\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        assertThat(replay("IngestFunction/shopify-orders-create.json", Map.of("x-shopify-webhook-id", "huge"), huge).statusCode()).isEqualTo(413);
    }
}
