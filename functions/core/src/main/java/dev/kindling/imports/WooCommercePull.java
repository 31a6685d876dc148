package dev.kindling.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import dev.kindling.shop.PlatformCalls;
import dev.kindling.shop.Shop;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Pulls a shop's customers, orders and products from WooCommerce's REST API v3 as WooCommerce documents it: {@code GET
 * /wp-json/wc/v3/customers}, {@code /orders} and {@code /products}, 100 a page ({@code per_page}, {@code page}, oldest
 * first by id), with HTTP Basic authentication by the consumer key and secret (over HTTPS), up to the page count
 * {@code X-WP-TotalPages} gives (a site may serve fewer a page than asked). Each resource is handed on as
 * {@code {"customer": …}}, {@code {"order": …}} or {@code {"product": …}}, numbered by its place in the pull. The key and
 * secret go in the Authorization header only, never in a log or an answer.
 */
public final class WooCommercePull {
    static final int PER_PAGE = 100;
    /** Bounded work: 10,000 pages of 100 is a million of each, far beyond a shop the importer reads in one go. */
    static final int MAX_PAGES = 10_000;

    private final HttpClient http;

    public WooCommercePull(HttpClient http) {
        this.http = http;
    }

    /** Customers first (so orders find their people), then orders, then products (for the catalog). */
    public void pull(Shop.WooCommerceApi api, Consumer<ImportItem> each) {
        if (api == null || api.url() == null || api.consumerKey() == null || api.consumerSecret() == null) {
            throw new IllegalStateException("the shop has no WooCommerce REST API (wooCommerceApi: url, consumerKey and consumerSecret) in its configuration");
        }
        int place = 0;
        for (String resource : List.of("customers", "orders", "products")) {
            String kind = resource.substring(0, resource.length() - 1);
            for (int p = 1; p <= MAX_PAGES; p++) {
                int page = p;
                HttpResponse<String> response = get(api, resource, page);
                JsonNode items = Json.read(response.body(), JsonNode.class);
                if (!items.isArray()) throw new IllegalStateException("WooCommerce's " + resource + " page " + page + " is not a list");
                for (JsonNode item : items) each.accept(new ImportItem(++place, Json.object().set(kind, item), null));
                // the pages WooCommerce says there are; without the header, a short page is the last
                var totalPages = response.headers().firstValue("x-wp-totalpages").map(Integer::parseInt);
                if (items.isEmpty() || totalPages.map(total -> page >= total).orElse(items.size() < PER_PAGE)) break;
            }
        }
    }

    /** One page ({@link PlatformCalls}: retried when WooCommerce is busy or fails). */
    private HttpResponse<String> get(Shop.WooCommerceApi api, String resource, int page) {
        URI uri = api.resource(resource + "?per_page=" + PER_PAGE + "&page=" + page + "&orderby=id&order=asc");
        return PlatformCalls.send(http, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("authorization", api.basicAuthorization())
                .header("accept", "application/json").GET().build(), "WooCommerce's REST API (" + resource + ")",
                "the consumer key and secret are wrong or cannot read");
    }
}
