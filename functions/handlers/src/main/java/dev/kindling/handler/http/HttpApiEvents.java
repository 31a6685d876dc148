package dev.kindling.handler.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * API Gateway HTTP API (payload format 2.0) events to {@link HttpRequest} and back; a Lambda function URL's events too,
 * which have the same format with no route ({@value #FUNCTION_URL_ROUTE}) and no path parameters.
 */
public final class HttpApiEvents {
    /** The route key of every event a function URL sends. */
    static final String FUNCTION_URL_ROUTE = "$default";
    /**
     * The route a function URL's request is given: any path, with its method, so the router matches it on its method and
     * path against the function's routes as it matches a greedy route's (a path no route has is 404, a method it lacks 405).
     */
    static final String ANY_PATH = " /{url+}";

    private HttpApiEvents() {}

    public static HttpRequest toRequest(JsonNode event) {
        Map<String, String> headers = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = event.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().asText());
        }
        String body = event.path("body").isTextual() ? event.get("body").asText() : "";
        byte[] bytes = event.path("isBase64Encoded").asBoolean(false)
                ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        String routeKey = event.path("routeKey").asText();
        // an ANY route's key names no method: the request's own goes in its place, for the router to match on
        if (routeKey.startsWith("ANY ")) routeKey = event.at("/requestContext/http/method").asText() + routeKey.substring(3);
        if (routeKey.equals(FUNCTION_URL_ROUTE)) routeKey = event.at("/requestContext/http/method").asText() + ANY_PATH;
        return new HttpRequest(
                routeKey,
                event.path("rawPath").asText(),
                strings(event.path("pathParameters")),
                query(event.path("rawQueryString").asText("")),
                headers,
                bytes,
                event.at("/requestContext/http/sourceIp").asText(null));
    }

    public static ObjectNode toEvent(HttpResponse response) {
        ObjectNode out = Json.object();
        out.put("statusCode", response.status());
        ObjectNode headers = out.putObject("headers");
        response.headers().forEach(headers::put);
        out.put("body", response.body());
        out.put("isBase64Encoded", false);
        return out;
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> values = new HashMap<>();
        node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }

    /** The raw query string, decoded; a repeated name keeps its first value. */
    public static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null || raw.isEmpty()) return values;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }
}
