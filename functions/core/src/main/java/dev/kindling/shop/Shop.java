package dev.kindling.shop;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A shop and its credentials. On AWS each shop is one SSM SecureString parameter holding this as
 * JSON; locally, an entry of the shops file.
 *
 * @param linkSecret         signs the links in emails (unsubscribe, preferences, confirmation);
 *                           at least 32 characters
 * @param previousLinkSecret the secret before the last rotation: its links keep working until
 *                           it is removed
 * @param segmentSecret      the shared secret of Segment's Webhooks destination, when the shop uses it
 * @param adminToken         a plain admin token (write access): kept for the demo shop and older files; prefer
 *                           {@code adminTokens}, which hold hashes only
 * @param adminTokens        admin tokens as SHA-256 hashes, each with an id and a role; several at once, so a token
 *                           is rotated by adding the new one before removing the old
 * @param serverKey          the secret server key for the tracking API (the shop's backend: analytics-node or
 *                           analytics-java with it as their write key). What the public {@code writeKey} sends is a
 *                           claim; what this key sends is authority (orders, verified addresses, merges). It also signs
 *                           the browser's {@code user_hash} (HMAC-SHA256 of the user id, hex) that lets a browser
 *                           identify link its anonymous activity to that user
 * @param purgeInactiveMonths the shop's retention policy: people with no activity (no event of theirs, orders
 *                           included) for this many months are erased after the scheduled refresh finds them; null (the default): kept.
 *                           It is the shop's legal decision, so it sits with its configuration, not in the marketer's settings
 * @param shopifyAdmin       the shop's Shopify Admin API (its URL and an access token of a custom app with read access to
 *                           customers, orders and products), for importing its history; null when the shop has not given one
 * @param wooCommerceApi     the shop's WooCommerce REST API (its URL and a read key's consumer key and secret), for importing
 *                           its history; null when the shop has not given one
 */
public record Shop(
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("shopifySecret") String shopifySecret,
        @JsonProperty("wooSecret") String wooSecret,
        @JsonProperty("writeKey") String writeKey,
        @JsonProperty("adminToken") String adminToken,
        @JsonProperty("linkSecret") String linkSecret,
        @JsonProperty("previousLinkSecret") String previousLinkSecret,
        @JsonProperty("segmentSecret") String segmentSecret,
        @JsonProperty("adminTokens") List<AdminToken> adminTokens,
        @JsonProperty("purgeInactiveMonths") Integer purgeInactiveMonths,
        @JsonProperty("serverKey") String serverKey,
        @JsonProperty("shopifyAdmin") ShopifyAdmin shopifyAdmin,
        @JsonProperty("wooCommerceApi") WooCommerceApi wooCommerceApi) {

    /** The longest retention a shop may set (20 years); longer is a typo for "never", which is the default. */
    public static final int MAX_PURGE_MONTHS = 240;

    public Shop {
        adminTokens = adminTokens == null ? List.of() : List.copyOf(adminTokens);
    }

    public Shop(String id, String name, String shopifySecret, String wooSecret, String writeKey, String adminToken, String linkSecret,
                String previousLinkSecret, String segmentSecret) {
        this(id, name, shopifySecret, wooSecret, writeKey, adminToken, linkSecret, previousLinkSecret, segmentSecret, List.of(), null, null, null, null);
    }

    public Shop withPurgeInactiveMonths(Integer months) {
        return new Shop(id, name, shopifySecret, wooSecret, writeKey, adminToken, linkSecret, previousLinkSecret, segmentSecret, adminTokens, months,
                serverKey, shopifyAdmin, wooCommerceApi);
    }

    public Shop withServerKey(String key) {
        return new Shop(id, name, shopifySecret, wooSecret, writeKey, adminToken, linkSecret, previousLinkSecret, segmentSecret, adminTokens,
                purgeInactiveMonths, key, shopifyAdmin, wooCommerceApi);
    }

    public Shop withShopifyAdmin(ShopifyAdmin admin) {
        return new Shop(id, name, shopifySecret, wooSecret, writeKey, adminToken, linkSecret, previousLinkSecret, segmentSecret, adminTokens,
                purgeInactiveMonths, serverKey, admin, wooCommerceApi);
    }

    public Shop withWooCommerceApi(WooCommerceApi api) {
        return new Shop(id, name, shopifySecret, wooSecret, writeKey, adminToken, linkSecret, previousLinkSecret, segmentSecret, adminTokens,
                purgeInactiveMonths, serverKey, shopifyAdmin, api);
    }

    /**
     * Where the shop's Shopify Admin API is ({@code https://<shop>.myshopify.com}) and the access token that reads it. The
     * token is a secret like the others: kept in the shop's SecureString (or the shops file), never logged or answered.
     */
    public record ShopifyAdmin(@JsonProperty("url") String url, @JsonProperty("accessToken") String accessToken) {
        /** The Admin API version every call names. */
        public static final String API_VERSION = "2025-01";

        /** Where its GraphQL Admin API answers. */
        public URI graphql() {
            return URI.create(url.replaceAll("/+$", "") + "/admin/api/" + API_VERSION + "/graphql.json");
        }

        @Override
        public String toString() {
            return "ShopifyAdmin[" + url + "]";
        }
    }

    /** Where the shop's WooCommerce REST API is and the key that reads it; secrets like the others, never logged or answered. */
    public record WooCommerceApi(@JsonProperty("url") String url, @JsonProperty("consumerKey") String consumerKey,
                                 @JsonProperty("consumerSecret") String consumerSecret) {
        /** A resource of the REST API ({@code customers?page=2}, {@code coupons}). */
        public URI resource(String path) {
            return URI.create(url.replaceAll("/+$", "") + "/wp-json/wc/v3/" + path);
        }

        /** The key's HTTP Basic Authorization header value (over HTTPS, as WooCommerce asks). */
        public String basicAuthorization() {
            return "Basic " + Base64.getEncoder().encodeToString((consumerKey + ":" + consumerSecret).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "WooCommerceApi[" + url + "]";
        }
    }

    /** An admin token as the shop's record keeps it: never the token, only its SHA-256 (hex). */
    public record AdminToken(@JsonProperty("id") String id, @JsonProperty("role") Role role, @JsonProperty("sha256") String sha256) {}

    /** What a token may do: {@code read} (analysts: every GET, previews and simulations) or {@code write} (editors: everything). */
    public enum Role { read, write }

    @Override
    public String toString() {
        return "Shop[" + id + "]"; // never the secrets
    }
}
