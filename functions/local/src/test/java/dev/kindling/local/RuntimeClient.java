package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.shop.Signatures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/** What the email tests do to a running local runtime: HTTP calls as shops, trackers, admins and people make them. */
final class RuntimeClient {
    final HttpClient http = HttpClient.newHttpClient();
    final LocalRuntime runtime;

    RuntimeClient(LocalRuntime runtime) {
        this.runtime = runtime;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + runtime.port() + path);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), BodyHandlers.ofString());
    }

    HttpResponse<String> admin(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).header("Authorization", "Bearer demo-admin-token")
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (contentType != null) request.header("Content-Type", contentType);
        HttpResponse<String> response = send(request);
        OpenApiContract.check(method, url(path), contentType, body, response.statusCode(), response.body());
        return response;
    }

    JsonNode adminJson(String path) throws Exception {
        HttpResponse<String> response = admin("GET", path, null, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json(response);
    }

    /** A person's export as the admin hands it out: the call answers a link that expires, and the link the file. */
    JsonNode export(String contactId) throws Exception {
        return download(adminJson("/admin/contacts/" + contactId + "/export"));
    }

    /** The export file a link from {@code GET /admin/contacts/{id}/export} serves, as a browser downloads it. */
    JsonNode download(JsonNode link) throws Exception {
        HttpResponse<String> file = http.send(HttpRequest.newBuilder(URI.create(link.path("url").asText())).build(), BodyHandlers.ofString());
        assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"contact-" + link.path("contactId").asText() + ".json\"");
        assertThat(file.body().getBytes(StandardCharsets.UTF_8)).hasSize(link.path("bytes").asInt());
        return json(file);
    }

    HttpResponse<String> shopify(String topic, ObjectNode payload) throws Exception {
        return webhook("/webhooks/shopify/demo", "X-Shopify-Topic", topic, "X-Shopify-Webhook-Id", "X-Shopify-Hmac-Sha256", "demo-shopify-secret", payload);
    }

    HttpResponse<String> woo(String topic, ObjectNode payload) throws Exception {
        return webhook("/webhooks/woocommerce/demo", "X-WC-Webhook-Topic", topic, "X-WC-Webhook-Delivery-ID", "X-WC-Webhook-Signature",
                "demo-woo-secret", payload);
    }

    /** A signed webhook delivery with a fresh delivery id, as the shop platform sends it. */
    private HttpResponse<String> webhook(String path, String topicHeader, String topic, String deliveryHeader, String signatureHeader,
                                         String secret, ObjectNode payload) throws Exception {
        byte[] body = Json.write(payload).getBytes(StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(url(path)).header("Content-Type", "application/json")
                .header(topicHeader, topic).header(deliveryHeader, UUID.randomUUID().toString())
                .header(signatureHeader, Signatures.hmacSha256Base64(secret, body))
                .POST(BodyPublishers.ofByteArray(body)));
    }

    /** A tracking call with the shop's public write key, as a browser makes it: a claim. */
    HttpResponse<String> track(String type, ObjectNode body) throws Exception {
        return tracking("demo-write-key", type, body);
    }

    /** What the shop's server puts in a logged-in page for the browser's identify: the HMAC of the user id with its server key. */
    static String userHash(String userId) {
        return Signatures.hmacSha256Hex(ShopsFile.DEMO.serverKey(), userId);
    }

    /** A tracking call with the shop's secret server key, as its backend makes it: authority. */
    HttpResponse<String> server(String type, ObjectNode body) throws Exception {
        return tracking(ShopsFile.DEMO.serverKey(), type, body);
    }

    private HttpResponse<String> tracking(String key, String type, ObjectNode body) throws Exception {
        return send(HttpRequest.newBuilder(url("/v1/" + type)).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8)))
                .POST(BodyPublishers.ofString(Json.write(body))));
    }

    /** Invokes a function directly, as Step Functions invokes SendFunction. */
    JsonNode invoke(String function, JsonNode payload) throws Exception {
        return Json.MAPPER.readTree(LocalFunctions.invoke(runtime.function(function), function, Json.write(payload).getBytes(StandardCharsets.UTF_8)));
    }

    void settle() throws InterruptedException {
        assertThat(runtime.bus().awaitQuiet(Duration.ofSeconds(30))).as("bus deliveries finished").isTrue();
    }

    static JsonNode json(HttpResponse<String> response) {
        return Json.read(response.body(), JsonNode.class);
    }
}
