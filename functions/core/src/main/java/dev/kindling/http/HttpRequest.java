package dev.kindling.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request as every entry point sees it: API Gateway's HTTP API event on AWS, the local
 * server here. Header names are lower-case.
 *
 * @param routeKey   the matched route, e.g. {@code POST /webhooks/shopify/{shopId}}
 * @param body       the exact bytes received: signatures are checked over these
 */
public record HttpRequest(
        String routeKey,
        String path,
        Map<String, String> pathParameters,
        Map<String, String> query,
        Map<String, String> headers,
        byte[] body,
        String sourceIp) {

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String pathParameter(String name) {
        return pathParameters.get(name);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
