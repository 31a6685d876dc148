package dev.kindling.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import dev.kindling.shop.Shop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The shops the local runtime serves: the demo shop, plus those of a shops file (YAML or JSON):
 * <pre>
 * shops:
 *   - id: my-shop
 *     shopifySecret: ...
 *     wooSecret: ...
 *     writeKey: ...
 *     adminToken: ...
 *     linkSecret: ...   # 32+ characters; signs unsubscribe, preference and confirmation links
 * </pre>
 */
public final class ShopsFile {
    public static final Shop DEMO = new Shop("demo", "Demo shop", "demo-shopify-secret", "demo-woo-secret",
            "demo-write-key", "demo-admin-token", "demo-link-secret-0123456789abcdef0123", null, "demo-segment-secret")
            .withServerKey("demo-server-key-0123456789abcdef0123");

    private ShopsFile() {}

    public static List<Shop> load(Path file) throws IOException {
        List<Shop> shops = new ArrayList<>();
        shops.add(DEMO);
        if (file == null) return shops;
        Object parsed = new Yaml().load(Files.readString(file)); // JSON is YAML too
        JsonNode root = Json.MAPPER.valueToTree(parsed instanceof Map<?, ?> ? parsed : Map.of());
        for (JsonNode shop : root.path("shops")) {
            Shop s = Json.MAPPER.treeToValue(shop, Shop.class);
            shops.removeIf(existing -> existing.id().equals(s.id()));
            shops.add(s);
        }
        return shops;
    }
}
