package dev.kindling.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.parser.Parser;

/**
 * A product as Kindling learned it from ingested events (orders, views, carts): how templates show
 * it, what it is (category, tags) and how it sells (units sold, products bought with it).
 *
 * @param boughtWith product id → orders both were in; the strongest {@value #BOUGHT_WITH_KEPT} are kept
 */
public record Product(
        @JsonProperty("id") String id,
        @JsonProperty("title") String title,
        @JsonProperty("price") String price,
        @JsonProperty("image") String image,
        @JsonProperty("url") String url,
        @JsonProperty("category") String category,
        @JsonProperty("tags") List<String> tags,
        @JsonProperty("sold") long sold,
        @JsonProperty("boughtWith") Map<String, Long> boughtWith) {

    public static final int BOUGHT_WITH_KEPT = 20;

    /** A product line of an event in the Segment e-commerce shape (product_id, name, price, image_url, url, category, tags). */
    public static Product fromEvent(JsonNode p) {
        String id = Json.text(p, "product_id");
        if (id == null) id = Json.text(p, "id");
        List<String> tags = new ArrayList<>();
        JsonNode t = p.path("tags");
        if (t.isArray()) t.forEach(tag -> tags.add(tag.asText()));
        else if (t.isTextual()) for (String tag : t.asText().split(",")) if (!tag.isBlank()) tags.add(tag.strip());
        String category = Json.text(p, "category");
        if (category == null) category = Json.text(p, "product_type");
        return new Product(id, decoded(Json.text(p, "name")), Json.text(p, "price"), Json.text(p, "image_url"), Json.text(p, "url"),
                category, List.copyOf(tags), 0, Map.of());
    }

    /**
     * A name as the customer should read it: shops send HTML entities in names (WooCommerce's "Hoodie &amp;ndash; Blue"),
     * and since templates escape what they print, an entity left in would show as its code.
     */
    public static String decoded(String name) {
        return name == null || name.indexOf('&') < 0 ? name : Parser.unescapeEntities(name, false);
    }

    /**
     * Every line of an event as a template shows it, those without a product id included (a gift card, a
     * custom item): title, variant, quantity, price, image and link as the event has them.
     */
    public static List<Map<String, Object>> lineItems(JsonNode properties) {
        List<Map<String, Object>> lines = new ArrayList<>();
        JsonNode products = properties == null ? null : properties.path("products");
        if (products == null || !products.isArray()) {
            ofEvent(properties).forEach(p -> lines.add(p.forTemplate(null)));
            return lines;
        }
        for (JsonNode line : products) {
            Map<String, Object> m = fromEvent(line).forTemplate(line.has("quantity") ? line.path("quantity").asInt() : null);
            String variant = Json.text(line, "variant");
            if (variant != null && !variant.equalsIgnoreCase("Default Title")) m.put("variant", decoded(variant));
            if (Json.text(line, "sku") != null) m.put("sku", Json.text(line, "sku"));
            lines.add(m);
        }
        return lines;
    }

    /** Worth showing as a suggestion: a product we know a name and a price above zero for. */
    public boolean sellable() {
        if (title == null || price == null) return false;
        try {
            return new BigDecimal(price.strip()).signum() > 0;
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }

    /** The products of an event: its {@code products} list, or the event itself for single-product events. */
    public static List<Product> ofEvent(JsonNode properties) {
        List<Product> products = new ArrayList<>();
        if (properties == null) return products;
        if (properties.path("products").isArray()) {
            for (JsonNode p : properties.path("products")) {
                Product product = fromEvent(p);
                if (product.id() != null) products.add(product);
            }
        } else {
            Product single = fromEvent(properties);
            if (single.id() != null) products.add(single);
        }
        return products;
    }

    /** What a template reads for a product. */
    public Map<String, Object> forTemplate(Integer quantity) {
        Map<String, Object> m = new HashMap<>();
        m.put("product_id", id);
        m.put("title", title);
        m.put("price", price);
        m.put("image", image);
        m.put("url", url);
        m.put("category", category);
        if (quantity != null) m.put("quantity", quantity);
        return m;
    }

    /** This product's facts with what a newer sighting says laid over them (a sighting's blanks keep what we knew). */
    public Product seenAs(Product newer) {
        return new Product(id, pick(newer.title, title), pick(newer.price, price), pick(newer.image, image), pick(newer.url, url),
                pick(newer.category, category), newer.tags.isEmpty() ? tags : newer.tags, sold, boughtWith);
    }

    /**
     * This product with only the facts it lacks taken from a claimed sighting (the public write key's Product Viewed):
     * a stranger can name a product, never rename it or change its price, picture or link.
     */
    public Product filledBy(Product claimed) {
        return new Product(id, pick(title, claimed.title), pick(price, claimed.price), pick(image, claimed.image), pick(url, claimed.url),
                pick(category, claimed.category), tags.isEmpty() ? claimed.tags : tags, sold, boughtWith);
    }

    public Product withSales(long moreSold, Map<String, Long> nextBoughtWith) {
        return new Product(id, title, price, image, url, category, tags, sold + moreSold, nextBoughtWith);
    }

    private static String pick(String newer, String older) {
        return newer != null ? newer : older;
    }
}
