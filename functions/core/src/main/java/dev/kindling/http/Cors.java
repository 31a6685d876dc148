package dev.kindling.http;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * CORS for the endpoints a shop's own web pages call from the browser: the tracking API
 * (analytics.js sends {@code Content-Type: text/plain} and {@code Authorization: Basic <write key>},
 * so the browser asks first with a preflight) and the sign-up form. Any origin may call them: the
 * write key is public by design and no cookie is read, so nothing is exposed to other sites.
 * The admin API sends none of these headers, so browsers keep other sites away from it.
 *
 * <p>Answered by the functions themselves (OPTIONS routes in template.yaml), so the local runtime
 * and AWS answer the same.
 */
public final class Cors {
    private static final Map<String, String> ALLOW = Map.of(
            "access-control-allow-origin", "*",
            "access-control-allow-methods", "POST, OPTIONS",
            "access-control-allow-headers", "Content-Type, Content-Encoding, Authorization, X-Retry-Count",
            // a browser may keep the preflight's answer a day (Chromium caps it at 2 hours)
            "access-control-max-age", "86400");

    private Cors() {}

    /** The answer to a preflight ({@code OPTIONS}): 204 with the allowances. */
    public static HttpResponse preflight(HttpRequest request) {
        return new HttpResponse(204, ALLOW, "");
    }

    /** The action with the allowances added to what it answers, refusals included, so the calling page may read it. */
    public static Function<HttpRequest, HttpResponse> allowing(Function<HttpRequest, HttpResponse> action) {
        return request -> {
            HttpResponse response;
            try {
                response = action.apply(request);
            } catch (ApiException refused) {
                response = refused.toResponse();
            }
            return allow(response);
        };
    }

    private static HttpResponse allow(HttpResponse response) {
        Map<String, String> headers = new HashMap<>(response.headers());
        headers.putAll(ALLOW);
        return new HttpResponse(response.status(), Map.copyOf(headers), response.body());
    }
}
