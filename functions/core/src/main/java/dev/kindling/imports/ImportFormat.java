package dev.kindling.imports;

import java.util.Arrays;
import java.util.Optional;

/** What an import reads: one of the shop's files, or the shop's platform pulled through its API. */
public enum ImportFormat {
    /** Shopify's customer CSV export (Customers → Export). */
    SHOPIFY_CUSTOMERS_CSV("shopify-customers-csv"),
    /** Shopify's order CSV export (Orders → Export): a row per line item, the order's fields on its first. */
    SHOPIFY_ORDERS_CSV("shopify-orders-csv"),
    /** Segment-spec calls, one JSON object a line, with their timestamps: a shop's own history from any system. */
    SEGMENT_JSONL("segment-jsonl"),
    /** Shopify's Admin GraphQL API: a bulk operation over the shop's customers and their orders. */
    SHOPIFY_API("shopify"),
    /** WooCommerce's REST API v3: the shop's customers and orders, page by page. */
    WOOCOMMERCE_API("woocommerce");

    private final String wireName;

    ImportFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ImportFormat> of(String wireName) {
        return Arrays.stream(values()).filter(f -> f.wireName.equals(wireName)).findFirst();
    }

    /** The formats a file is given in, as the API names them. */
    public boolean isPull() {
        return this == SHOPIFY_API || this == WOOCOMMERCE_API;
    }

    public static String files() {
        return SHOPIFY_CUSTOMERS_CSV.wireName + ", " + SHOPIFY_ORDERS_CSV.wireName + ", " + SEGMENT_JSONL.wireName;
    }
}
