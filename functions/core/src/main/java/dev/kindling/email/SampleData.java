package dev.kindling.email;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Made-up variables every template renders with when it is checked or previewed without a
 * contact: a customer with a three-item cart, four recommendations, links and the data the
 * default journeys pass (discount code, survey links, reviews).
 */
public final class SampleData {
    private SampleData() {}

    public static Map<String, Object> variables(String shopName, EmailSettings settings) {
        Map<String, Object> v = new HashMap<>();
        v.put("shop", Map.of("id", "sample", "name", shopName, "currency", settings.currency(), "website_url", "https://shop.example.com"));
        Map<String, Object> brand = new HashMap<>();
        brand.put("name", settings.brand() != null && settings.brand().name() != null ? settings.brand().name() : shopName);
        if (settings.brand() != null) {
            brand.put("logo_url", settings.brand().logoUrl());
            brand.put("primary_color", settings.brand().primaryColor());
            brand.put("website_url", settings.brand().websiteUrl());
            brand.put("postal_address", settings.brand().postalAddress());
        }
        v.put("brand", brand);
        v.put("contact", Map.of("email", "jane@example.com", "first_name", "Jane", "last_name", "Doe", "name", "Jane Doe", "orders_count", 1, "traits", Map.of()));
        List<Map<String, Object>> lines = List.of(
                product("p-1", "Linen shirt", "49.00", 1), product("p-2", "Canvas tote", "19.50", 2), product("p-3", "Wool socks", "12.00", 3));
        v.put("line_items", lines);
        v.put("event", Map.of("name", "Checkout Started", "checkout_url", "https://shop.example.com/checkouts/sample", "total", "112.50", "order_id", "1001", "products", lines));
        v.put("checkout_url", "https://shop.example.com/checkouts/sample");
        v.put("recommendations", List.of(product("p-4", "Leather belt", "35.00", null), product("p-5", "Cotton cap", "22.00", null),
                product("p-6", "Silk scarf", "59.00", null), product("p-7", "Denim jacket", "120.00", null)));
        v.put("recently_viewed", List.of(product("p-8", "Rain coat", "140.00", null)));
        v.put("new_arrivals", List.of(product("p-9", "Merino beanie", "29.00", null), product("p-10", "Linen scarf", "39.00", null)));
        v.put("links", Map.of("unsubscribe", "https://example.com/unsubscribe", "preferences", "https://example.com/preferences",
                "view_in_browser", "https://example.com/view", "confirm", "https://example.com/confirm", "referral", "https://example.com/r/sample"));
        v.put("message", Map.of("id", "sample"));
        v.put("coupon", Map.of("code", "WINTER-7KQ2", "expires_at", "2026-12-19T12:00:00Z", "expires_on", "2026-12-19", "name", "Winter 15%",
                "percent", "15", "minimum_order", "50.00"));
        v.put("loyalty", Map.of("points", 640, "tier", "silver", "next_tier", "gold", "to_next_tier", "360", "measure", "points",
                "expires_at", "2027-12-05T12:00:00Z", "referral_url", "https://example.com/r/sample"));
        List<Map<String, Object>> nps = new ArrayList<>();
        for (int score = 0; score <= 10; score++) nps.add(Map.of("score", score, "url", "https://example.com/nps/" + score));
        v.put("data", Map.of("discount_code", "WELCOME10", "discount_percent", 10, "reward_code", "THANKYOU15",
                "referral_url", "https://shop.example.com/r/jane", "review_url", "https://shop.example.com/review", "nps_links", nps,
                "reviews", List.of(Map.of("text", "Best shirt I own.", "author", "Sam"))));
        return v;
    }

    private static Map<String, Object> product(String id, String title, String price, Integer quantity) {
        Map<String, Object> p = new HashMap<>(Map.of("product_id", id, "title", title, "price", price,
                "image", "https://shop.example.com/images/" + id + ".jpg", "url", "https://shop.example.com/products/" + id));
        if (quantity != null) p.put("quantity", quantity);
        return p;
    }
}
