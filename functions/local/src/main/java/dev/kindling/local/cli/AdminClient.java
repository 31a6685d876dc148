package dev.kindling.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The admin API of a running local runtime or a deployed stack, as the CLI calls it: JSON in, JSON out, a bearer token. */
final class AdminClient {
    static final String JSON = "application/json";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    AdminClient(String url, String token) {
        this.base = url.replaceAll("/+$", "");
        this.token = token;
    }

    /** A call the server refused or failed, with what it said. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    JsonNode get(String path) {
        return call("GET", path, HttpRequest.BodyPublishers.noBody(), null);
    }

    JsonNode put(String path, JsonNode body) {
        return call("PUT", path, json(body), JSON);
    }

    JsonNode delete(String path) {
        return call("DELETE", path, HttpRequest.BodyPublishers.noBody(), null);
    }

    /** A POST of any body (a file to import, a JSON request, nothing) with its content type, or null for none. */
    JsonNode post(String path, HttpRequest.BodyPublisher body, String contentType) {
        return call("POST", path, body, contentType);
    }

    static HttpRequest.BodyPublisher json(JsonNode body) {
        return HttpRequest.BodyPublishers.ofString(Json.write(body));
    }

    String base() {
        return base;
    }

    private JsonNode call(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("authorization", "Bearer " + token).method(method, body);
        if (contentType != null) request.header("content-type", contentType);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Refused(method + " " + base + path + ": no answer (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); is the runtime running (bin/kindling-local) and --url right?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(method + " " + path + ": interrupted");
        }
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(response.body().isEmpty() ? "{}" : response.body());
        } catch (IOException notJson) {
            throw new Refused(method + " " + path + ": HTTP " + response.statusCode() + ", not JSON: " + response.body().lines().findFirst().orElse(""));
        }
        if (response.statusCode() >= 300) {
            StringBuilder said = new StringBuilder(method + " " + path + ": HTTP " + response.statusCode() + ": " + answer.path("message").asText(response.body()));
            for (JsonNode problem : answer.path("problems")) said.append("\n    ").append(problem.asText());
            throw new Refused(said.toString());
        }
        return answer;
    }
}
