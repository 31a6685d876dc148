package dev.kindling.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

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

    /**
     * The body as the sender meant it: gunzipped when {@code Content-Encoding} says gzip (RudderStack's
     * SDKs compress by default), and refused (413) beyond {@code max} bytes before or after that, so
     * a small compressed body cannot expand without bound.
     */
    public byte[] decodedBody(int max, String what) {
        if (body.length > max) throw ApiException.tooLarge(what + " is " + body.length + " bytes; at most " + max + " are accepted");
        String encoding = header("content-encoding");
        if (encoding == null || encoding.isBlank() || encoding.strip().equalsIgnoreCase("identity")) return body;
        if (!encoding.strip().equalsIgnoreCase("gzip")) {
            throw new ApiException(415, "unsupported_encoding", "Content-Encoding " + encoding + " is not accepted; send gzip or none");
        }
        try (var in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] decoded = in.readNBytes(max + 1);
            if (decoded.length > max) throw ApiException.tooLarge(what + " is more than " + max + " bytes once gunzipped; at most " + max + " are accepted");
            return decoded;
        } catch (IOException notGzip) {
            throw ApiException.badRequest("the body is not valid gzip (Content-Encoding: gzip)");
        }
    }

    /** An {@code application/x-www-form-urlencoded} body: each field with its values in order; a malformed body is a 400. */
    public Map<String, List<String>> form() {
        Map<String, List<String>> form = new LinkedHashMap<>();
        String text = bodyText();
        if (text.isBlank()) return form;
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                form.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            } catch (IllegalArgumentException malformed) {
                throw ApiException.badRequest("the form body is malformed");
            }
        }
        return form;
    }

    /** The Segment-spec context of the person making this request (ip, userAgent): the evidence events record. */
    public ObjectNode clientContext() {
        ObjectNode context = Json.object();
        if (sourceIp != null) context.put("ip", sourceIp);
        String agent = header("user-agent");
        if (agent != null) context.put("userAgent", agent.length() > 512 ? agent.substring(0, 512) : agent);
        return context;
    }
}
