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
        return call("GET", path, null);
    }

    JsonNode put(String path, JsonNode body) {
        return call("PUT", path, body);
    }

    JsonNode delete(String path) {
        return call("DELETE", path, null);
    }

    String base() {
        return base;
    }

    private JsonNode call(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (body != null) request.header("content-type", "application/json");
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
