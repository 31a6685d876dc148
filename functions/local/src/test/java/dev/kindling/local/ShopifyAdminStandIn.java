package dev.kindling.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kindling.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a shop's Shopify Admin GraphQL API, as far as its documentation of bulk operations goes and no further:
 * {@code POST /admin/api/<version>/graphql.json} with the {@code X-Shopify-Access-Token} header; a
 * {@code bulkOperationRunQuery} mutation starts an operation (one at a time: another while one runs is a user error);
 * {@code currentBulkOperation} answers {@code RUNNING}, then {@code COMPLETED} with the URL of its JSONL result, where a
 * nested connection's objects (an order's line items) are lines of their own naming their parent in {@code __parentId}.
 * It serves the customers and orders it is given, and counts the calls. And {@code discountCodeBasicCreate}, as far as
 * its documentation goes: the fields a create requires ({@code title}, {@code code}, {@code startsAt}, {@code context},
 * {@code customerGets} with a percentage from 0 to 1 or an amount), a code unique in the shop ({@code TAKEN} in
 * {@code userErrors} otherwise); the codes made are kept in {@link #discounts}. Loopback only.
 */
final class ShopifyAdminStandIn implements AutoCloseable {
    static final String TOKEN = "shpat_stand_in_token";

    private final HttpServer server;
    private final List<JsonNode> customers;
    private final List<JsonNode> orderLines;
    private final List<JsonNode> products;
    private String running;
    private int polls;
    final AtomicInteger graphqlCalls = new AtomicInteger();
    /** The code discounts made, by code: the mutation's input as sent. */
    final Map<String, JsonNode> discounts = new ConcurrentHashMap<>();

    /** @param orderLines the orders' JSONL lines as Shopify writes them: each order, then its line items with __parentId */
    ShopifyAdminStandIn(List<JsonNode> customers, List<JsonNode> orderLines, List<JsonNode> products) throws IOException {
        this.customers = customers;
        this.orderLines = orderLines;
        this.products = products;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/admin/api/", this::graphql);
        server.createContext("/results/", this::result);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private synchronized void graphql(HttpExchange exchange) throws IOException {
        graphqlCalls.incrementAndGet();
        if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Shopify-Access-Token"))) {
            StandIns.answer(exchange, 401, "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}");
            return;
        }
        JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody());
        String query = request.path("query").asText();
        ObjectNode data = Json.object();
        if (query.contains("bulkOperationRunQuery")) {
            ObjectNode run = data.putObject("bulkOperationRunQuery");
            if (running != null) {
                run.putNull("bulkOperation");
                run.putArray("userErrors").addObject().putNull("field").put("message", "A bulk query operation for this app and shop is already in progress: gid://shopify/BulkOperation/1.");
            } else {
                String inner = request.path("variables").path("query").asText();
                running = inner.contains("orders") ? "orders" : inner.contains("products") ? "products" : "customers";
                polls = 0;
                run.putObject("bulkOperation").put("id", "gid://shopify/BulkOperation/1").put("status", "CREATED");
                run.putArray("userErrors");
            }
        } else if (query.contains("discountCodeBasicCreate")) {
            ObjectNode created = data.putObject("discountCodeBasicCreate");
            ArrayNode errors = created.putArray("userErrors");
            JsonNode input = request.path("variables").path("basicCodeDiscount");
            for (String required : List.of("title", "code", "startsAt", "context", "customerGets")) {
                if (!input.hasNonNull(required)) errors.addObject().put("code", "BLANK").put("message", required + " can't be blank").putArray("field")
                        .add("basicCodeDiscount").add(required);
            }
            JsonNode value = input.path("customerGets").path("value");
            boolean percent = value.has("percentage") && value.path("percentage").asDouble(-1) >= 0 && value.path("percentage").asDouble() <= 1;
            if (!percent && !value.path("discountAmount").hasNonNull("amount")) {
                errors.addObject().put("code", "INVALID").put("message", "Value must be a percentage from 0 to 1 or an amount").putArray("field")
                        .add("basicCodeDiscount").add("customerGets").add("value");
            }
            String code = input.path("code").asText("");
            if (errors.isEmpty() && discounts.putIfAbsent(code.toUpperCase(java.util.Locale.ROOT), input) != null) {
                errors.addObject().put("code", "TAKEN").put("message", "Code must be unique. Please try a different code.").putArray("field")
                        .add("basicCodeDiscount").add("code");
            }
            if (errors.isEmpty()) created.putObject("codeDiscountNode").put("id", "gid://shopify/DiscountCodeNode/" + discounts.size());
            else created.putNull("codeDiscountNode");
        } else if (query.contains("currentBulkOperation")) {
            ObjectNode op = data.putObject("currentBulkOperation").put("id", "gid://shopify/BulkOperation/1");
            if (running != null && polls++ == 0) {
                op.put("status", "RUNNING").putNull("url").put("objectCount", "0").putNull("errorCode");
            } else if (running != null) {
                op.put("status", "COMPLETED").put("url", url() + "/results/" + running + ".jsonl").putNull("errorCode")
                        .put("objectCount", String.valueOf(lines(running).size()));
                running = null;
            }
        } else {
            StandIns.answer(exchange, 200, "{\"errors\":[{\"message\":\"the stand-in answers bulk operations and discountCodeBasicCreate only\"}]}");
            return;
        }
        StandIns.answer(exchange, 200, Json.write(Json.object().set("data", data)));
    }

    private void result(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        List<JsonNode> lines = lines(path.substring(path.lastIndexOf('/') + 1).replace(".jsonl", ""));
        StringBuilder body = new StringBuilder();
        lines.forEach(line -> body.append(Json.write(line)).append('\n'));
        StandIns.answer(exchange, 200, body.toString());
    }

    private List<JsonNode> lines(String operation) {
        return switch (operation) {
            case "orders" -> orderLines;
            case "products" -> products;
            default -> customers;
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
