package dev.kindling.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;

/** Line items in the Segment e-commerce v2 product shape: product_id, variant_id, variant (its name), sku, name, quantity, price, image_url, url. */
final class Products {
    private Products() {}

    /**
     * @param fields the source's field names, in the order: product id, variant id, variant name, sku, title,
     *               quantity, price, image url, product url (null where the source has none)
     */
    static ArrayNode from(JsonNode lineItems, String... fields) {
        ArrayNode products = Json.MAPPER.createArrayNode();
        if (lineItems == null || !lineItems.isArray()) return products;
        String[] names = {"product_id", "variant_id", "variant", "sku", "name", "quantity", "price", "image_url", "url"};
        for (JsonNode item : lineItems) {
            ObjectNode product = products.addObject();
            for (int i = 0; i < names.length; i++) {
                String value = fields[i] == null ? null : textAt(item, fields[i]);
                if (value == null) continue;
                if (names[i].equals("quantity")) product.put("quantity", item.at(pointer(fields[i])).asInt());
                else product.put(names[i], value);
            }
        }
        return products;
    }

    /** A field, or a nested one given as {@code image/src}. */
    static String textAt(JsonNode node, String path) {
        JsonNode value = node.at(pointer(path));
        if (value.isMissingNode() || value.isNull() || value.isContainerNode()) return null;
        String text = value.asText();
        return text.isBlank() ? null : text;
    }

    private static String pointer(String path) {
        return "/" + path;
    }
}
