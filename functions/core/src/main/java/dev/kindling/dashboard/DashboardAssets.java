package dev.kindling.dashboard;

import dev.kindling.http.HtmlPage;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.shop.Signatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The marketer's dashboard: static files (one HTML page, a style sheet and ES modules, no build step) that
 * the admin function serves at {@code /} and {@code /app/{file}}, on AWS and locally. They hold no data and
 * need no token; every figure the app shows it asks the admin API for, with the token the person signed
 * in with, which it keeps in memory only (never in a URL, a cookie or storage). Each file is revalidated by
 * its ETag, so a return visit costs a 304 per file.
 */
public final class DashboardAssets {
    /** Scripts and styles from this origin only; inline styles for the email previews; images only inline (a preview loads no remote image). */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
            + " connect-src 'self'; frame-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,40}\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml");
    private static final String FOLDER = "/dev/kindling/dashboard/";

    private record Asset(String type, String body, String etag) {}

    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    public List<Route> routes() {
        return List.of(new Route("GET /", request -> serve("index.html", request)),
                new Route("GET /app/{file}", request -> serve(request.pathParameter("file"), request)));
    }

    HttpResponse serve(String name, HttpRequest request) {
        Optional<Asset> asset = name != null && NAME.matcher(name).matches() ? cache.computeIfAbsent(name, DashboardAssets::load) : Optional.empty();
        if (asset.isEmpty()) return HttpResponse.error(404, "not_found", "the dashboard has no file " + name);
        Asset a = asset.get();
        Map<String, String> headers = new LinkedHashMap<>(HtmlPage.headers(POLICY));
        headers.put("content-type", a.type());
        headers.put("cache-control", "no-cache"); // kept, and asked again each time: a new version shows at once
        headers.put("etag", a.etag());
        headers.put("x-content-type-options", "nosniff");
        headers.put("referrer-policy", "same-origin");
        if (a.etag().equals(request.header("if-none-match"))) return new HttpResponse(304, headers, "");
        return new HttpResponse(200, headers, a.body());
    }

    private static Optional<Asset> load(String name) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) return Optional.empty();
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            return Optional.of(new Asset(type, body, "\"" + Signatures.sha256Hex(body).substring(0, 20) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
