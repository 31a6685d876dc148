package dev.kindling.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.util.HashMap;
import java.util.Map;

/** A response: status, headers and a body (JSON unless the headers say otherwise). */
public record HttpResponse(int status, Map<String, String> headers, String body) {

    private static final Map<String, String> JSON = Map.of("content-type", "application/json");

    public static HttpResponse json(int status, Object body) {
        return new HttpResponse(status, JSON, Json.write(body));
    }

    /** This response with one more header (a name in lower case, as every header here). */
    public HttpResponse withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new HttpResponse(status, Map.copyOf(more), body);
    }

    /** The error body every endpoint uses: {@code {"error": code, "message": what is wrong}}. */
    public static HttpResponse error(int status, String code, String message) {
        ObjectNode body = Json.object().put("error", code).put("message", message);
        return new HttpResponse(status, JSON, Json.write(body));
    }
}
