package dev.kindling.shop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.retry.Backoff;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.IntPredicate;

/** A call to a shop platform's API, retried with backoff when it throttles (429), fails (5xx) or the connection breaks. */
public final class PlatformCalls {
    static final int ATTEMPTS = 5;

    private PlatformCalls() {}

    /**
     * @param what           the API, as problems name it
     * @param refusedMeaning what a 401 or 403 means for this API's credentials
     * @throws IllegalStateException for any answer but 200, once the retries are spent
     */
    /** One call of a shop's Shopify Admin GraphQL API, retried as {@link #send} retries; its top-level errors thrown. */
    public static JsonNode shopifyGraphql(HttpClient http, Shop.ShopifyAdmin admin, String query, ObjectNode variables, String what,
                                          String refusedMeaning) {
        ObjectNode body = Json.object().put("query", query);
        if (variables != null) body.set("variables", variables);
        HttpResponse<String> response = send(http, HttpRequest.newBuilder(admin.graphql()).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").header("x-shopify-access-token", admin.accessToken())
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), what, refusedMeaning);
        JsonNode answer = Json.read(response.body(), JsonNode.class);
        if (answer.path("errors").isArray() && !answer.path("errors").isEmpty()) {
            throw new IllegalStateException(what + ": " + answer.path("errors").get(0).path("message").asText());
        }
        return answer;
    }

    public static HttpResponse<String> send(HttpClient http, HttpRequest request, String what, String refusedMeaning) {
        return send(http, request, what, refusedMeaning, status -> status == 200);
    }

    /**
     * As {@link #send(HttpClient, HttpRequest, String, String)}, answering every response whose status {@code answered}
     * takes (a create's 201, or the 400 that says it exists already).
     */
    public static HttpResponse<String> send(HttpClient http, HttpRequest request, String what, String refusedMeaning, IntPredicate answered) {
        for (int attempt = 0; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if ((status == 429 || status >= 500) && attempt < ATTEMPTS - 1) {
                    Backoff.pause(attempt, 500, 8000, what);
                    continue;
                }
                if (!answered.test(status)) throw new IllegalStateException(what + " answered HTTP " + status + (status == 401 || status == 403 ? ": " + refusedMeaning : ""));
                return response;
            } catch (IOException e) {
                if (attempt >= ATTEMPTS - 1) throw new UncheckedIOException("calling " + what, e);
                Backoff.pause(attempt, 500, 8000, what);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
