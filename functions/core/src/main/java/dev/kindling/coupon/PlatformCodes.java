package dev.kindling.coupon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.lazy.Lazy;
import dev.kindling.shop.PlatformCalls;
import dev.kindling.shop.Shop;
import dev.kindling.shop.Signatures;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Codes made for one person on the shop's platform, as a coupon of {@code source: shopify} or {@code woocommerce} asks:
 * Shopify's Admin GraphQL {@code discountCodeBasicCreate} (usage limit 1, once per customer, limited to the customer
 * when the person is a Shopify customer, percent or amount off the order, the minimum subtotal, ending when the code
 * expires) or WooCommerce's {@code POST /wp-json/wc/v3/coupons} (the same, restricted to the person's email). A code
 * is the coupon's prefix and ten characters derived from the send's key under the shop's link secret: a send retried
 * after the platform made its code asks for the same code again, and the platform's "already exists" is its answer.
 */
public final class PlatformCodes {
    /** Crockford's base 32: no I, L, O or U, so a code read aloud or retyped is not mistaken. */
    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static final int CODE_CHARACTERS = 10;
    private static final DateTimeFormatter WOO_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    static final String MUTATION = """
            mutation discountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
              discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
                codeDiscountNode { id }
                userErrors { field code message }
              }
            }""";

    /** Whom a code is made for: their email, and their Shopify customer id when they are one. */
    public record Person(String email, String shopifyCustomerId) {}

    /** Made on the first code a shop's platform is asked for: a function that never gives one never starts a client. */
    private final Lazy<HttpClient> http = Lazy.of(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());

    /** The code a send's key stands for: the same key, the same code. */
    public static String code(Shop shop, Coupon coupon, String key) {
        String mac = Signatures.hmacSha256Hex(shop.linkSecret(), "coupon\n" + coupon.id() + "\n" + key);
        StringBuilder code = new StringBuilder(coupon.prefix());
        for (int i = 0; i < CODE_CHARACTERS; i++) code.append(ALPHABET.charAt(Integer.parseInt(mac.substring(2 * i, 2 * i + 2), 16) & 31));
        return code.toString();
    }

    /** Why a shop cannot have this coupon's codes made, or null when it can (its platform's API is set up). */
    public static String missingAccess(Shop shop, Coupon coupon) {
        return switch (coupon.source()) {
            case Coupon.SHOPIFY -> shop.shopifyAdmin() == null ? "the shop has no Shopify Admin API (shopifyAdmin) to make codes with" : null;
            case Coupon.WOOCOMMERCE -> shop.wooCommerceApi() == null ? "the shop has no WooCommerce REST API key (wooCommerceApi) to make codes with" : null;
            default -> null;
        };
    }

    /** Makes the code on the shop's platform for the person, expiring at {@code expires}; one that exists already is taken as made. */
    public void make(Shop shop, Coupon coupon, String code, Person person, Instant at, Instant expires) {
        String missing = missingAccess(shop, coupon);
        if (missing != null) throw new IllegalStateException(missing);
        if (Coupon.SHOPIFY.equals(coupon.source())) shopify(shop.shopifyAdmin(), coupon, code, person, at, expires);
        else woocommerce(shop.wooCommerceApi(), coupon, code, person, expires);
    }

    private void shopify(Shop.ShopifyAdmin admin, Coupon coupon, String code, Person person, Instant at, Instant expires) {
        ObjectNode input = Json.object().put("title", coupon.name() + " " + code).put("code", code).put("startsAt", at.toString())
                .put("endsAt", expires.toString()).put("usageLimit", 1).put("appliesOncePerCustomer", true);
        ObjectNode context = input.putObject("context");
        if (person.shopifyCustomerId() != null) context.putObject("customers").putArray("add").add("gid://shopify/Customer/" + person.shopifyCustomerId());
        else context.put("all", "ALL");
        ObjectNode gets = input.putObject("customerGets");
        gets.putObject("items").put("all", true);
        if (coupon.percent() != null) {
            gets.putObject("value").put("percentage", coupon.percent().divide(BigDecimal.valueOf(100), 4, RoundingMode.HALF_EVEN));
        } else {
            gets.putObject("value").putObject("discountAmount").put("amount", coupon.amount().toPlainString()).put("appliesOnEachItem", false);
        }
        if (coupon.minimumOrder() != null) {
            input.putObject("minimumRequirement").putObject("subtotal").put("greaterThanOrEqualToSubtotal", coupon.minimumOrder().toPlainString());
        }
        JsonNode answer = PlatformCalls.shopifyGraphql(http.get(), admin, MUTATION, (ObjectNode) Json.object().set("basicCodeDiscount", input),
                "Shopify's Admin API (discountCodeBasicCreate)", "the access token is wrong or lacks write_discounts");
        for (JsonNode error : answer.path("data").path("discountCodeBasicCreate").path("userErrors")) {
            if ("TAKEN".equals(error.path("code").asText())) continue; // this key's code, made by an earlier try
            throw new IllegalStateException("Shopify refused the code: " + error.path("message").asText());
        }
    }

    private void woocommerce(Shop.WooCommerceApi api, Coupon coupon, String code, Person person, Instant expires) {
        if (person.email() == null) throw new IllegalStateException("a WooCommerce code is restricted to the person's email, and they have none");
        ObjectNode body = Json.object().put("code", code).put("discount_type", coupon.percent() != null ? "percent" : "fixed_cart")
                .put("amount", (coupon.percent() != null ? coupon.percent() : coupon.amount()).toPlainString()).put("individual_use", true)
                .put("usage_limit", 1).put("usage_limit_per_user", 1).put("date_expires_gmt", WOO_DATE.format(expires))
                .put("description", coupon.name());
        body.putArray("email_restrictions").add(person.email());
        if (coupon.minimumOrder() != null) body.put("minimum_amount", coupon.minimumOrder().toPlainString());
        HttpResponse<String> response = PlatformCalls.send(http.get(), HttpRequest.newBuilder(api.resource("coupons")).timeout(Duration.ofSeconds(30))
                .header("authorization", api.basicAuthorization()).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), "WooCommerce's REST API (coupons)",
                "the consumer key and secret are wrong or cannot write", status -> status == 201 || status == 400);
        if (response.statusCode() == 400) {
            String error = Json.read(response.body(), JsonNode.class).path("code").asText();
            // this key's code, made by an earlier try
            if (!error.toLowerCase(Locale.ROOT).contains("already_exists")) throw new IllegalStateException("WooCommerce refused the code: " + error);
        }
    }
}
