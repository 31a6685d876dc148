package dev.kindling.local;

import static dev.kindling.local.ReliabilityTest.basic;
import static dev.kindling.local.ReliabilityTest.bytes;
import static dev.kindling.local.ReliabilityTest.payload;
import static dev.kindling.local.ReliabilityTest.settle;
import static dev.kindling.local.ReliabilityTest.sha1Hex;
import static dev.kindling.local.ReliabilityTest.sign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.shop.LinkTokens;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reliability suite's forgery matrix, against the local runtime over HTTP: every signed or authenticated
 * endpoint (Shopify, WooCommerce and Segment webhooks, tracking, the admin API, the email pages' links) with a
 * wrong secret, an edited body, another shop's secret or link token, missing and duplicated headers. Nothing
 * is accepted, nothing answers 5xx, nothing is stored. Seeds are fixed, so a failure replays.
 */
class ForgeryMatrixTest {
    static final int FORGERY_ROUNDS = 46;
    static LocalRuntime runtime;
    static String base;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path shops = dir.resolve("shops.yaml");
        Files.writeString(shops, """
                shops:
                  - {id: other, name: Other, shopifySecret: other-shopify-secret, wooSecret: other-woo-secret, writeKey: other-write-key,
                     adminToken: other-admin-token, linkSecret: other-link-secret-0123456789abcdef0123, segmentSecret: other-segment-secret}
                """);
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, shops, DaytimeClock.ticking()));
        base = "http://127.0.0.1:" + runtime.port();
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    record Forgery(String endpoint, String variant, String path, Map<String, List<String>> headers, byte[] body) {
        Forgery withTopic(String topic) {
            Map<String, List<String>> changed = new HashMap<>(headers);
            changed.put("X-Shopify-Topic", List.of(topic));
            return new Forgery(endpoint, variant, path, changed, body);
        }
    }

    @Test
    void forgeriesOfEverySignedOrAuthenticatedEndpointAreRefusedAndStoreNothing() throws Exception {
        Random random = new Random(7);
        List<String> webhookBodies = List.of(payload("shopify-orders-create.json"), payload("shopify-checkouts-create.json"));
        String woo = payload("woocommerce-order-created.json");
        String track = payload("tracking-track.json");
        settle(runtime); // what the runtime does at start must not count as stored here
        long before = itemCount();
        List<Forgery> forgeries = new ArrayList<>();
        for (int round = 0; round < FORGERY_ROUNDS; round++) {
            String body = webhookBodies.get(random.nextInt(webhookBodies.size())).replace("jon@example.com", "forged" + round + "@example.com");
            String edited = body.replace("403.00", "1.00").replace("\"email\"", "\"email\" ");
            String id = "f-" + round;
            // Shopify
            forgeries.add(shopify("wrong secret", body, sign("not-the-secret", body), id));
            forgeries.add(shopify("edited body", edited, sign("demo-shopify-secret", body), id));
            forgeries.add(shopify("other shop's secret", body, sign("other-shopify-secret", body), id));
            forgeries.add(new Forgery("shopify", "missing signature", "/webhooks/shopify/demo",
                    Map.of("X-Shopify-Topic", List.of("orders/create"), "X-Shopify-Webhook-Id", List.of(id)), bytes(body)));
            forgeries.add(new Forgery("shopify", "duplicated signature", "/webhooks/shopify/demo", Map.of("X-Shopify-Topic", List.of("orders/create"),
                    "X-Shopify-Webhook-Id", List.of(id), "X-Shopify-Hmac-Sha256", List.of(sign("demo-shopify-secret", body), sign("x", body))), bytes(body)));
            forgeries.add(shopify("privacy topic, wrong secret", body, sign("not-the-secret", body), id).withTopic("customers/redact"));
            // WooCommerce
            String wooBody = woo.replace("\"id\": 727", "\"id\": " + (8000 + round));
            forgeries.add(wooForgery("wrong secret", wooBody, sign("not-the-secret", wooBody)));
            forgeries.add(wooForgery("edited body", wooBody.replace("\"total\"", "\"total\" "), sign("demo-woo-secret", wooBody)));
            forgeries.add(wooForgery("other shop's secret", wooBody, sign("other-woo-secret", wooBody)));
            forgeries.add(new Forgery("woocommerce", "missing signature", "/webhooks/woocommerce/demo",
                    Map.of("X-WC-Webhook-Topic", List.of("order.created"), "X-WC-Webhook-Delivery-ID", List.of(id)), bytes(wooBody)));
            // Segment's webhooks destination
            forgeries.add(new Forgery("segment", "wrong secret", "/webhooks/segment/demo",
                    Map.of("X-Signature", List.of(sha1Hex("not-the-secret", track))), bytes(track)));
            forgeries.add(new Forgery("segment", "other shop's secret", "/webhooks/segment/demo",
                    Map.of("X-Signature", List.of(sha1Hex("other-segment-secret", track))), bytes(track)));
            forgeries.add(new Forgery("segment", "missing signature", "/webhooks/segment/demo", Map.of(), bytes(track)));
            // tracking
            forgeries.add(new Forgery("tracking", "wrong write key", "/v1/track", Map.of("Authorization", List.of(basic("not-a-key"))), bytes(track)));
            forgeries.add(new Forgery("tracking", "no write key", "/v1/track", Map.of(), bytes(track)));
            forgeries.add(new Forgery("tracking", "malformed basic", "/v1/track", Map.of("Authorization", List.of("Basic %%%")), bytes(track)));
            // the admin API (its writes: a segment, an erasure)
            String segment = "{\"condition\": {\"trait\": \"country\", \"op\": \"equals\", \"value\": \"NZ\"}}";
            forgeries.add(new Forgery("admin", "wrong token", "/admin/segments/preview", Map.of("Authorization", List.of("Bearer wrong-" + round)), bytes(segment)));
            forgeries.add(new Forgery("admin", "no token", "/admin/segments/preview", Map.of(), bytes(segment)));
            forgeries.add(new Forgery("admin", "duplicated header", "/admin/segments/preview",
                    Map.of("Authorization", List.of("Bearer demo-admin-token", "Bearer other-admin-token")), bytes(segment)));
            // the email pages' links
            forgeries.add(new Forgery("email pages", "forged token", "/email/demo/unsubscribe?t=" + UUID.randomUUID(), Map.of(), bytes("")));
            forgeries.add(new Forgery("email pages", "other shop's token", "/email/demo/unsubscribe?t=" + otherShopsToken(round), Map.of(), bytes("")));
            forgeries.add(new Forgery("email pages", "forged confirmation", "/email/demo/confirm?t=x" + round, Map.of(), bytes("confirm=yes")));
        }
        Map<String, Integer> accepted = new HashMap<>();
        int serverErrors = 0;
        for (Forgery f : forgeries) {
            HttpResponse<String> response = post(f.path(), f.headers(), f.body());
            if (response.statusCode() < 300) accepted.merge(f.endpoint() + ": " + f.variant(), 1, Integer::sum);
            if (response.statusCode() >= 500) serverErrors++;
        }
        settle(runtime);
        long after = itemCount();
        System.out.printf("forgery matrix: %d requests, %d accepted, %d 5xx, %d items stored%n", forgeries.size(), accepted.size(), serverErrors, after - before);
        assertThat(forgeries.size()).isGreaterThanOrEqualTo(1000);
        assertThat(accepted).isEmpty();
        assertThat(serverErrors).isZero();
        assertThat(after).as("nothing stored").isEqualTo(before);
    }

    // --- helpers

    static HttpResponse<String> post(String path, Map<String, List<String>> headers, byte[] body) throws Exception {
        return ReliabilityTest.post(base, path, headers, body);
    }

    static long itemCount() {
        long[] n = {0};
        runtime.services().table().scan("", page -> n[0] += page.size());
        return n[0];
    }

    Forgery shopify(String variant, String body, String signature, String id) {
        return new Forgery("shopify", variant, "/webhooks/shopify/demo", Map.of("X-Shopify-Topic", List.of("orders/create"),
                "X-Shopify-Webhook-Id", List.of(id), "X-Shopify-Hmac-Sha256", List.of(signature)), bytes(body));
    }

    Forgery wooForgery(String variant, String body, String signature) {
        return new Forgery("woocommerce", variant, "/webhooks/woocommerce/demo", Map.of("X-WC-Webhook-Topic", List.of("order.created"),
                "X-WC-Webhook-Delivery-ID", List.of(UUID.randomUUID().toString()), "X-WC-Webhook-Signature", List.of(signature)), bytes(body));
    }

    static String otherShopsToken(int round) {
        var other = runtime.services().shops().byId("other").orElseThrow();
        return runtime.services().linkTokens().issue(other, LinkTokens.Purpose.UNSUBSCRIBE, "c-" + round, "m-" + round, null);
    }
}
