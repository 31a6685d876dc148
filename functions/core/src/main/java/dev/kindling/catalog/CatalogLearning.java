package dev.kindling.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventNames;
import dev.kindling.json.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns the catalog from ingested events: orders count sales and co-purchases, views and carts teach product facts.
 * A claim (the public write key) counts no sale, since it is no order ({@link EventNames#commerceEffect(CanonicalEvent)}),
 * and only fills the facts the catalog lacks.
 */
public final class CatalogLearning {
    private final Catalog catalog;

    public CatalogLearning(Catalog catalog) {
        this.catalog = catalog;
    }

    public void learn(String shopId, CanonicalEvent event) {
        if (event.event() == null || event.properties() == null) return;
        // a product id or category no shop uses (kilobytes long, from a malformed or hostile payload) is not learned:
        // it would not fit a key, and the event would fail for ever
        List<Product> products = Product.ofEvent(event.properties()).stream().filter(CatalogLearning::learnable).toList();
        if (products.isEmpty()) return;
        String orderId = Json.text(event.properties(), "order_id");
        if (orderId != null && EventNames.commerceEffect(event) == EventNames.CommerceEffect.ORDER) {
            Map<String, Integer> quantities = new HashMap<>();
            for (JsonNode p : event.properties().path("products")) {
                String id = Json.text(p, "product_id");
                if (id != null) quantities.merge(id, Math.max(1, p.path("quantity").asInt(1)), Integer::sum);
            }
            catalog.recordOrder(shopId, orderId, products, quantities);
        } else {
            catalog.recordSeen(shopId, products, event.trust());
        }
    }

    /** Ids and categories up to this long are learned (Shopify's and WooCommerce's are a few dozen characters). */
    public static final int MAX_KEY_CHARS = 200;

    public static boolean learnable(Product p) {
        return p.id().length() <= MAX_KEY_CHARS && (p.category() == null || p.category().length() <= MAX_KEY_CHARS);
    }
}
