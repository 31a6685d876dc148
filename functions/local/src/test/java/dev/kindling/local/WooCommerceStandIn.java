package dev.kindling.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kindling.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for a shop's WooCommerce REST API v3, as far as its documentation of listing customers and orders goes:
 * {@code GET /wp-json/wc/v3/customers}, {@code /orders} and {@code /products} with HTTP Basic authentication by consumer key and secret,
 * {@code per_page} (capped here at {@link #PAGE_CAP}, as a site may cap it) and {@code page}, and the {@code X-WP-Total}
 * and {@code X-WP-TotalPages} headers. And {@code POST /wp-json/wc/v3/coupons}: a code and a known {@code discount_type}
 * required, a code unique in the shop ({@code woocommerce_rest_coupon_code_already_exists}, 400, otherwise), 201 with
 * the coupon; the coupons made are kept in {@link #coupons}. Loopback only.
 */
final class WooCommerceStandIn implements AutoCloseable {
    static final String KEY = "ck_stand_in", SECRET = "cs_stand_in";
    static final int PAGE_CAP = 2;

    private final HttpServer server;
    private final Map<String, List<JsonNode>> resources = new HashMap<>();
    /** The coupons made, by code: the request's body as sent. */
    final Map<String, JsonNode> coupons = new java.util.concurrent.ConcurrentHashMap<>();

    WooCommerceStandIn(List<JsonNode> customers, List<JsonNode> orders, List<JsonNode> products) throws IOException {
        resources.put("customers", customers);
        resources.put("orders", orders);
        resources.put("products", products);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/wp-json/wc/v3/", this::serve);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            StandIns.answer(exchange, 401, "{\"code\":\"woocommerce_rest_cannot_view\",\"message\":\"Sorry, you cannot list resources.\",\"data\":{\"status\":401}}");
            return;
        }
        String resource = exchange.getRequestURI().getPath().substring("/wp-json/wc/v3/".length());
        if (resource.equals("coupons") && exchange.getRequestMethod().equals("POST")) {
            JsonNode coupon = Json.MAPPER.readTree(exchange.getRequestBody());
            String code = coupon.path("code").asText("");
            if (code.isBlank() || !List.of("percent", "fixed_cart", "fixed_product").contains(coupon.path("discount_type").asText())) {
                StandIns.answer(exchange, 400, "{\"code\":\"rest_invalid_param\",\"message\":\"Invalid parameter(s): code, discount_type\",\"data\":{\"status\":400}}");
            } else if (coupons.putIfAbsent(code.toLowerCase(java.util.Locale.ROOT), coupon) != null) {
                StandIns.answer(exchange, 400, "{\"code\":\"woocommerce_rest_coupon_code_already_exists\",\"message\":\"The coupon code already exists\",\"data\":{\"status\":400}}");
            } else {
                StandIns.answer(exchange, 201, Json.write(((com.fasterxml.jackson.databind.node.ObjectNode) coupon.deepCopy()).put("id", coupons.size())));
            }
            return;
        }
        List<JsonNode> all = resources.get(resource);
        if (all == null) {
            StandIns.answer(exchange, 404, "{\"code\":\"rest_no_route\"}");
            return;
        }
        Map<String, String> query = new HashMap<>();
        for (String pair : exchange.getRequestURI().getQuery().split("&")) query.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        int perPage = Math.min(PAGE_CAP, Integer.parseInt(query.getOrDefault("per_page", "10")));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        List<JsonNode> slice = all.subList(Math.min(all.size(), (page - 1) * perPage), Math.min(all.size(), page * perPage));
        exchange.getResponseHeaders().add("X-WP-Total", String.valueOf(all.size()));
        exchange.getResponseHeaders().add("X-WP-TotalPages", String.valueOf((all.size() + perPage - 1) / perPage));
        StandIns.answer(exchange, 200, Json.write(slice));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
