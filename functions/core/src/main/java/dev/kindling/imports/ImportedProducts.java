package dev.kindling.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.catalog.Product;
import dev.kindling.ingest.ImportedEvents;
import dev.kindling.json.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A shop's products as its platform's API gives them, to the catalog's {@link Product} (as an event's product line
 * would name it): the catalog and the recommendations know every product from the first hour, not only those someone
 * viewed or bought since.
 */
final class ImportedProducts {
    private ImportedProducts() {}

    /**
     * Whether the catalog knows the product as the platform gives it: a second pull then changes nothing. Prices are
     * compared as amounts (an order line says 270 where the product says 270.00).
     */
    static boolean sameFacts(Product known, Product pulled) {
        Product laid = known.seenAs(pulled);
        boolean samePrice = Objects.equals(known.price(), laid.price()) || (known.price() != null && laid.price() != null
                && amount(known.price()).compareTo(amount(laid.price())) == 0);
        return samePrice && Objects.equals(known.title(), laid.title()) && Objects.equals(known.image(), laid.image())
                && Objects.equals(known.url(), laid.url()) && Objects.equals(known.category(), laid.category()) && known.tags().equals(laid.tags());
    }

    private static BigDecimal amount(String text) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException notAnAmount) {
            return BigDecimal.valueOf(-1);
        }
    }

    /** A product of Shopify's Admin GraphQL API (a bulk operation's object). */
    static Product shopify(JsonNode node) {
        String id = ImportedEvents.gidNumber(Json.text(node, "id"));
        if (id == null) throw new IllegalArgumentException("product has no id");
        List<String> tags = new ArrayList<>();
        node.path("tags").forEach(t -> tags.add(t.asText()));
        return new Product(id, Product.decoded(Json.text(node, "title")), Json.text(node.at("/priceRangeV2/minVariantPrice"), "amount"),
                Json.text(node.path("featuredImage"), "url"), Json.text(node, "onlineStoreUrl"), Json.text(node, "productType"), List.copyOf(tags), 0, Map.of());
    }

    /** A product of WooCommerce's REST API v3. */
    static Product wooCommerce(JsonNode node) {
        String id = Json.text(node, "id");
        if (id == null) throw new IllegalArgumentException("product has no id");
        List<String> tags = new ArrayList<>();
        node.path("tags").forEach(t -> tags.add(t.path("name").asText()));
        JsonNode category = node.path("categories").path(0);
        return new Product(id, Product.decoded(Json.text(node, "name")), Json.text(node, "price"), Json.text(node.path("images").path(0), "src"),
                Json.text(node, "permalink"), Json.text(category, "name"), List.copyOf(tags), 0, Map.of());
    }
}
