package dev.kindling.shop;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A shop and its credentials. On AWS each shop is one SSM SecureString parameter holding this as
 * JSON; locally, an entry of the shops file.
 *
 * @param linkSecret         signs the links in emails (unsubscribe, preferences, confirmation);
 *                           at least 32 characters
 * @param previousLinkSecret the secret before the last rotation: its links keep working until
 *                           it is removed
 * @param segmentSecret      the shared secret of Segment's Webhooks destination, when the shop uses it
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
        @JsonProperty("segmentSecret") String segmentSecret) {

    @Override
    public String toString() {
        return "Shop[" + id + "]"; // never the secrets
    }
}
