package dev.kindling.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.shop.PlatformCalls;
import dev.kindling.shop.Shop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Pulls a shop's customers and orders from Shopify's Admin GraphQL API with bulk operations, as Shopify documents them:
 * {@code bulkOperationRunQuery} starts one query over every object, {@code currentBulkOperation} is polled until it is
 * {@code COMPLETED}, and its {@code url} serves the result as JSONL — one object a line, a nested connection's objects
 * (an order's line items) on lines of their own that name their parent in {@code __parentId}. Shopify runs one bulk
 * query per shop and app at a time, so customers and orders are two operations, one after the other.
 *
 * <p>Each customer, each order with its line items gathered under {@code lineItems}, and each product is handed on as an
 * {@link ImportItem} numbered by its line in the result. The access token goes in Shopify's header only, never in a
 * log or an answer.
 */
public final class ShopifyBulkPull {
    /** The Admin API version the queries are written against. */

    static final String CUSTOMERS = """
            { customers { edges { node { id email phone firstName lastName state tags createdAt updatedAt
              defaultAddress { countryCodeV2 }
              emailMarketingConsent { marketingState marketingOptInLevel consentUpdatedAt } } } } }""";

    static final String ORDERS = """
            { orders { edges { node { id name email phone createdAt processedAt updatedAt cancelledAt currencyCode
              displayFinancialStatus displayFulfillmentStatus discountCodes
              totalPriceSet { shopMoney { amount } } subtotalPriceSet { shopMoney { amount } }
              totalTaxSet { shopMoney { amount } } totalDiscountsSet { shopMoney { amount } }
              customer { id }
              refunds { id totalRefundedSet { shopMoney { amount } } }
              lineItems { edges { node { id title sku quantity product { id } variant { id }
                originalUnitPriceSet { shopMoney { amount } } } } } } } } }""";

    static final String PRODUCTS = """
            { products { edges { node { id title handle productType tags onlineStoreUrl featuredImage { url }
              priceRangeV2 { minVariantPrice { amount } } } } } }""";

    private final HttpClient http;
    private final Duration pollEvery;
    private final Duration giveUpAfter;

    /**
     * @param pollEvery   how often the operation is asked after (Shopify suggests polling, not faster than every few seconds)
     * @param giveUpAfter how long an operation may run before the pull fails with what it got
     */
    public ShopifyBulkPull(HttpClient http, Duration pollEvery, Duration giveUpAfter) {
        this.http = http;
        this.pollEvery = pollEvery;
        this.giveUpAfter = giveUpAfter;
    }

    /** Whether an item of a pull is an order. */
    static boolean isOrder(JsonNode row) {
        return row.path("id").asText().startsWith("gid://shopify/Order/");
    }

    /** Whether an item of a pull is a product (for the catalog). */
    static boolean isProduct(JsonNode row) {
        return row.path("id").asText().startsWith("gid://shopify/Product/");
    }

    /** Customers first (so orders find their people), then orders, then products; each item to {@code each} as the result is read. */
    public void pull(Shop.ShopifyAdmin admin, Consumer<ImportItem> each) {
        if (admin == null || admin.url() == null || admin.accessToken() == null) {
            throw new IllegalStateException("the shop has no Shopify Admin API (shopifyAdmin: url and accessToken) in its configuration");
        }
        for (String query : List.of(CUSTOMERS, ORDERS, PRODUCTS)) read(admin, resultUrl(admin, query), each);
    }

    /** Starts the bulk query and waits for its result's URL. */
    String resultUrl(Shop.ShopifyAdmin admin, String query) {
        JsonNode started = graphql(admin, "mutation run($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message } } }",
                Json.object().put("query", query));
        JsonNode errors = started.at("/data/bulkOperationRunQuery/userErrors");
        if (errors.isArray() && !errors.isEmpty()) throw new IllegalStateException("Shopify refused the bulk query: " + errors);
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        while (true) {
            JsonNode op = graphql(admin, "{ currentBulkOperation { id status errorCode objectCount url } }", null).at("/data/currentBulkOperation");
            String status = op.path("status").asText();
            switch (status) {
                case "COMPLETED" -> {
                    // an operation that found nothing completes without a file
                    return op.path("url").isTextual() ? op.path("url").asText() : null;
                }
                case "CREATED", "RUNNING" -> {
                    if (System.nanoTime() > deadline) throw new IllegalStateException("Shopify's bulk operation was still " + status + " after " + giveUpAfter);
                    sleep(pollEvery);
                }
                default -> throw new IllegalStateException("Shopify's bulk operation ended " + status + " (" + op.path("errorCode").asText("no error code") + ")");
            }
        }
    }

    private void read(Shop.ShopifyAdmin admin, String url, Consumer<ImportItem> each) {
        if (url == null) return;
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) throw new IllegalStateException("Shopify's bulk result answered HTTP " + response.statusCode());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                ObjectNode parent = null;
                int parentLine = 0, line = 0;
                String text;
                while ((text = lines.readLine()) != null) {
                    line++;
                    if (text.isBlank()) continue;
                    JsonNode node = Json.MAPPER.readTree(text);
                    String parentId = node.path("__parentId").asText(null);
                    if (parentId == null) {
                        if (parent != null) each.accept(new ImportItem(parentLine, parent, null));
                        parent = (ObjectNode) node;
                        parentLine = line;
                    } else if (parent != null && parentId.equals(parent.path("id").asText())) {
                        ArrayNode children = parent.has("lineItems") && parent.get("lineItems").isArray()
                                ? (ArrayNode) parent.get("lineItems") : parent.putArray("lineItems");
                        if (children.size() < 1000) children.add(node);
                    } else {
                        each.accept(ImportItem.bad(line, "a line item of " + parentId + ", which the lines before it did not give"));
                    }
                }
                if (parent != null) each.accept(new ImportItem(parentLine, parent, null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading Shopify's bulk result", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One GraphQL call ({@link PlatformCalls}: retried when Shopify throttles or fails); its errors thrown. */
    private JsonNode graphql(Shop.ShopifyAdmin admin, String query, ObjectNode variables) {
        return PlatformCalls.shopifyGraphql(http, admin, query, variables, "Shopify's Admin API", "the access token is wrong or lacks read_customers and read_orders");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
