package dev.kindling.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.EventNames;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.json.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * Shopify webhook payloads (REST Admin API shapes) to canonical events. Orders, checkouts and
 * carts keep their line items, totals, currency, tokens and the abandoned-checkout URL; customers
 * become identify calls; the customer's email marketing consent rides along with its evidence.
 *
 * <p>Anonymous ids tie webhooks that name no person to the one who does: a cart is
 * {@code shopify-cart:<token>} (a checkout names its cart token and an email, which merges them),
 * an order is {@code shopify-order:<id>} (fulfilments and refunds name only the order id).
 */
final class ShopifyMapper {
    static final Map<String, String> TOPICS = Map.ofEntries(
            Map.entry("orders/create", EventNames.ORDER_COMPLETED),
            Map.entry("orders/paid", EventNames.ORDER_PAID),
            Map.entry("orders/updated", EventNames.ORDER_UPDATED),
            Map.entry("orders/cancelled", EventNames.ORDER_CANCELLED),
            Map.entry("orders/fulfilled", EventNames.ORDER_FULFILLED),
            Map.entry("checkouts/create", EventNames.CHECKOUT_STARTED),
            Map.entry("checkouts/update", EventNames.CHECKOUT_UPDATED),
            Map.entry("carts/create", EventNames.CART_UPDATED),
            Map.entry("carts/update", EventNames.CART_UPDATED),
            Map.entry("customers/create", EventNames.CUSTOMER_CREATED),
            Map.entry("customers/update", EventNames.CUSTOMER_UPDATED),
            Map.entry("fulfillments/create", EventNames.FULFILLMENT_CREATED),
            Map.entry("refunds/create", EventNames.ORDER_REFUNDED));

    private ShopifyMapper() {}

    /**
     * @throws IllegalArgumentException naming what is missing when the payload cannot be one of the topic's
     */
    static Mapped map(String topic, String webhookId, String eventId, JsonNode body, Instant receivedAt) {
        EventBuilder event = new EventBuilder(Source.SHOPIFY, receivedAt)
                .messageId("shopify-" + IngestApi.bounded(occurrence(topic, webhookId, eventId, body)))
                .externalId("webhookId", webhookId)
                .externalId("eventId", eventId)
                .externalId("topic", topic);
        return map(topic, body, event, "shopify " + topic + " webhook " + webhookId);
    }

    /**
     * A payload in the topic's REST shape that came another way than its webhook (an import of the shop's history):
     * {@code event} carries the caller's message id, and {@code evidence} is what the consent ledger records as its source.
     */
    static Mapped map(String topic, JsonNode body, EventBuilder event, String evidence) {
        String name = TOPICS.get(topic);
        if (name == null) return new Mapped.Ignored("topic " + topic + " is not one Kindling reads");
        if (!body.isObject()) throw new IllegalArgumentException("body must be a JSON object");
        event.event(name);
        switch (topic.substring(0, topic.indexOf('/'))) {
            case "orders" -> {
                order(event, body, evidence);
                // created (or paid) already cancelled or voided: not a purchase. No Order Completed, so no purchase stage, no
                // intent points, no post-purchase journey, no thank-you; placed: false says there is nothing to reverse either
                if ((topic.equals("orders/create") || topic.equals("orders/paid")) && cancelledOrVoided(body)) {
                    event.event(EventNames.ORDER_CANCELLED);
                    event.properties(event.properties().put(EventNames.PLACED, false));
                }
                // the fulfilment happened when the order last changed, not when it was placed: a journey waiting for it (the
                // loyalty loop) hears only what came after it started
                if (topic.equals("orders/fulfilled")) event.timestamp(firstTime(body, "updated_at", "processed_at", "created_at"));
            }
            case "checkouts" -> checkout(event, body, evidence);
            case "carts" -> cart(event, body);
            case "customers" -> customer(event, body, evidence);
            case "fulfillments" -> fulfillment(event, body);
            case "refunds" -> refund(event, body);
            default -> throw new IllegalStateException(topic);
        }
        if (!event.hasIdentity()) {
            throw new IllegalArgumentException("payload names no customer, email, order, cart or checkout to attach it to");
        }
        return new Mapped.Event(event.build());
    }

    /**
     * What makes two deliveries the same occurrence, so it is stored once: Shopify's
     * {@code X-Shopify-Event-Id} (one event delivered to several subscriptions, or again, comes under
     * new webhook ids but the same event id); without it, the resource's id, the topic and its
     * {@code updated_at} (or {@code created_at}); without those, the webhook id.
     */
    static String occurrence(String topic, String webhookId, String eventId, JsonNode body) {
        if (eventId != null && !eventId.isBlank()) return "event-" + eventId.strip();
        String id = Json.text(body, "id");
        String updatedAt = Fields.firstOf(body, "updated_at", "created_at");
        if (id != null && updatedAt != null) return topic.replace('/', '-') + "-" + id + "-" + updatedAt;
        return "webhook-" + webhookId;
    }

    static boolean cancelledOrVoided(JsonNode order) {
        return Json.text(order, "cancelled_at") != null || "voided".equals(Json.text(order, "financial_status"));
    }

    private static void order(EventBuilder event, JsonNode order, String evidence) {
        String id = Fields.require(order, "id");
        JsonNode customer = order.path("customer");
        event.userId(Json.text(customer, "id"))
                .email(Fields.firstOf(order, "email", "contact_email") != null ? Fields.firstOf(order, "email", "contact_email")
                        : Json.text(customer, "email"))
                .anonymousId("shopify-order:" + id)
                .timestamp(firstTime(order, "processed_at", "created_at"))
                .traits(customerTraits(customer, order))
                .consent(consent(customer, order, evidence))
                .consent(SmsConsent.shopify(customer, evidence))
                .context(context(order));
        ObjectNode p = Json.object();
        p.put("order_id", id);
        Fields.copy(p, "order_number", order, "name");
        Fields.copy(p, "checkout_id", order, "checkout_id");
        Fields.copy(p, "checkout_token", order, "checkout_token");
        Fields.copy(p, "cart_token", order, "cart_token");
        // What the order was worth when placed (total_price: after discounts, with tax and shipping; it follows order
        // edits), not current_total_price, which also nets out refunds: refunds are subtracted one by one by their id
        // (here and from refunds/create), so netting them here too would count each refund twice. The discount is
        // the one given at purchase (total_discounts), which current_total_discounts loses when items are removed.
        Fields.copyAmount(p, "total", order, "total_price", "current_total_price");
        Fields.copyAmount(p, "subtotal", order, "subtotal_price", "current_subtotal_price");
        Fields.copyAmount(p, "tax", order, "total_tax", "current_total_tax");
        Fields.copyAmount(p, "discount", order, "total_discounts", "current_total_discounts");
        JsonNode shipping = order.at("/total_shipping_price_set/shop_money/amount");
        if (!shipping.isMissingNode()) p.put("shipping", shipping.asText());
        Fields.copy(p, "currency", order, "currency");
        JsonNode codes = order.path("discount_codes");
        if (codes.isArray() && !codes.isEmpty()) {
            Fields.copy(p, "coupon", codes.get(0), "code");
            ArrayNode all = p.putArray("coupons"); // every code, so each unique code an order redeems is marked
            codes.forEach(c -> { if (c.path("code").isTextual()) all.add(c.path("code").asText()); });
        }
        Fields.copyAddressFingerprint(p, order.path("shipping_address"), "address1", "zip", "country_code");
        Fields.copy(p, "financial_status", order, "financial_status");
        Fields.copy(p, "fulfillment_status", order, "fulfillment_status");
        Fields.copy(p, "cancelled_at", order, "cancelled_at");
        Fields.copy(p, "cancel_reason", order, "cancel_reason");
        Fields.copy(p, "order_status_url", order, "order_status_url");
        p.set("products", lineItems(order));
        ArrayNode refunds = Json.MAPPER.createArrayNode();
        for (JsonNode refund : order.path("refunds")) {
            BigDecimal amount = refundAmount(refund);
            if (Json.text(refund, "id") != null) refunds.addObject().put("refund_id", Json.text(refund, "id")).put("amount", amount.toPlainString());
        }
        if (!refunds.isEmpty()) p.set("refunds", refunds);
        event.properties(p);
    }

    private static void checkout(EventBuilder event, JsonNode checkout, String evidence) {
        String token = Fields.require(checkout, "token");
        JsonNode customer = checkout.path("customer");
        String cartToken = Json.text(checkout, "cart_token");
        event.userId(Json.text(customer, "id"))
                .email(Json.text(checkout, "email") != null ? Json.text(checkout, "email") : Json.text(customer, "email"))
                .anonymousId(cartToken != null ? "shopify-cart:" + cartToken : "shopify-checkout:" + token)
                .timestamp(firstTime(checkout, "updated_at", "created_at"))
                .traits(customerTraits(customer, checkout))
                .consent(consent(customer, checkout, evidence))
                .consent(SmsConsent.shopify(customer, evidence))
                .context(context(checkout));
        ObjectNode p = Json.object();
        p.put("checkout_id", token);
        p.put("checkout_token", token);
        Fields.copy(p, "cart_token", checkout, "cart_token");
        Fields.copy(p, "checkout_url", checkout, "abandoned_checkout_url");
        Fields.copy(p, "abandoned_checkout_url", checkout, "abandoned_checkout_url");
        Fields.copy(p, "completed_at", checkout, "completed_at");
        Fields.copyAmount(p, "total", checkout, "total_price");
        Fields.copyAmount(p, "subtotal", checkout, "subtotal_price");
        Fields.copyAmount(p, "tax", checkout, "total_tax");
        Fields.copyAmount(p, "discount", checkout, "total_discounts");
        Fields.copy(p, "currency", checkout, "currency");
        p.set("products", lineItems(checkout));
        event.properties(p);
    }

    private static void cart(EventBuilder event, JsonNode cart) {
        String token = Fields.firstOf(cart, "token", "id");
        if (token == null) throw new IllegalArgumentException("cart payload needs token");
        event.anonymousId("shopify-cart:" + token).timestamp(firstTime(cart, "updated_at", "created_at"));
        ObjectNode p = Json.object();
        p.put("cart_id", token);
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode item : cart.path("line_items")) {
            String linePrice = Fields.firstOf(item, "line_price", "price");
            if (linePrice != null) total = total.add(Fields.decimal(linePrice).multiply(
                    item.has("line_price") ? BigDecimal.ONE : BigDecimal.valueOf(item.path("quantity").asInt(1))));
        }
        p.put("total", total.toPlainString());
        Fields.copy(p, "currency", cart, "currency");
        p.set("products", lineItems(cart));
        event.properties(p);
    }

    private static void customer(EventBuilder event, JsonNode customer, String evidence) {
        event.type(EventType.IDENTIFY)
                .userId(Fields.require(customer, "id"))
                .email(Json.text(customer, "email"))
                .timestamp(firstTime(customer, "updated_at", "created_at"))
                .traits(customerTraits(customer, customer))
                .consent(consent(customer, customer, evidence))
                .consent(SmsConsent.shopify(customer, evidence));
        ObjectNode p = Json.object();
        Fields.copy(p, "state", customer, "state");
        Fields.copy(p, "tags", customer, "tags");
        event.properties(p);
    }

    private static void fulfillment(EventBuilder event, JsonNode fulfillment) {
        String orderId = Fields.require(fulfillment, "order_id");
        event.anonymousId("shopify-order:" + orderId)
                .email(Json.text(fulfillment, "email"))
                .timestamp(firstTime(fulfillment, "created_at", "updated_at"));
        ObjectNode p = Json.object();
        p.put("order_id", orderId);
        Fields.copy(p, "fulfillment_id", fulfillment, "id");
        Fields.copy(p, "status", fulfillment, "status");
        Fields.copy(p, "shipment_status", fulfillment, "shipment_status");
        Fields.copy(p, "tracking_company", fulfillment, "tracking_company");
        Fields.copy(p, "tracking_number", fulfillment, "tracking_number");
        Fields.copy(p, "tracking_url", fulfillment, "tracking_url");
        p.set("products", lineItems(fulfillment));
        event.properties(p);
    }

    private static void refund(EventBuilder event, JsonNode refund) {
        String orderId = Fields.require(refund, "order_id");
        String refundId = Fields.require(refund, "id");
        BigDecimal amount = refundAmount(refund);
        event.anonymousId("shopify-order:" + orderId).timestamp(firstTime(refund, "processed_at", "created_at"));
        ObjectNode p = Json.object();
        p.put("order_id", orderId);
        p.put("refund_id", refundId);
        p.put("total", amount.toPlainString());
        Fields.copy(p, "reason", refund, "note");
        ArrayNode refunds = p.putArray("refunds");
        refunds.addObject().put("refund_id", refundId).put("amount", amount.toPlainString());
        ArrayNode products = Json.MAPPER.createArrayNode();
        for (JsonNode line : refund.path("refund_line_items")) {
            ArrayNode one = Products.from(Json.MAPPER.createArrayNode().add(line.path("line_item")),
                    "product_id", "variant_id", "variant_title", "sku", "title", "quantity", "price", null, null);
            one.forEach(product -> products.add(((ObjectNode) product).put("quantity", line.path("quantity").asInt())));
        }
        p.set("products", products);
        event.properties(p);
    }

    /** The money a refund returned: its successful refund transactions. */
    private static BigDecimal refundAmount(JsonNode refund) {
        BigDecimal amount = BigDecimal.ZERO;
        for (JsonNode tx : refund.path("transactions")) {
            boolean isRefund = "refund".equals(Json.text(tx, "kind"));
            boolean succeeded = tx.path("status").asText("success").equals("success");
            if (isRefund && succeeded) amount = amount.add(Fields.decimal(Json.text(tx, "amount")));
        }
        return amount;
    }

    private static ArrayNode lineItems(JsonNode payload) {
        return Products.from(payload.path("line_items"),
                "product_id", "variant_id", "variant_title", "sku", "title", "quantity", "price", "image_url", "url");
    }

    private static ObjectNode customerTraits(JsonNode customer, JsonNode payload) {
        ObjectNode t = Json.object();
        Fields.copy(t, "first_name", customer, "first_name");
        Fields.copy(t, "last_name", customer, "last_name");
        Fields.copy(t, "phone", customer, "phone");
        String country = Json.text(customer.path("default_address"), "country_code");
        if (country == null) country = Json.text(payload.path("billing_address"), "country_code");
        if (country == null) country = Json.text(payload.path("shipping_address"), "country_code");
        if (country != null) t.putObject("address").put("country_code", country);
        Fields.copy(t, "locale", payload, "customer_locale");
        if (Json.text(t, "phone") == null) Fields.copy(t, "phone", payload, "sms_marketing_phone"); // a checkout's number for texts
        SmsConsent.normalisePhone(t);
        return t.isEmpty() ? null : t;
    }

    /**
     * Shopify's {@code email_marketing_consent} (state, opt_in_level, consent_updated_at), or the
     * older {@code accepts_marketing} flag, or an order's {@code buyer_accepts_marketing}.
     */
    static ConsentChange consent(JsonNode customer, JsonNode payload, String evidence) {
        JsonNode emc = customer.path("email_marketing_consent");
        if (emc.isObject() && Json.text(emc, "state") != null) {
            ConsentChange.State state = switch (Json.text(emc, "state")) {
                case "subscribed" -> ConsentChange.State.granted;
                case "unsubscribed" -> ConsentChange.State.withdrawn;
                case "pending" -> ConsentChange.State.pending;
                default -> ConsentChange.State.not_given;
            };
            return new ConsentChange(ConsentChange.EMAIL_MARKETING, state, Json.text(emc, "opt_in_level"),
                    Times.parseOrNull(Json.text(emc, "consent_updated_at")), evidence);
        }
        JsonNode flag = customer.has("accepts_marketing") ? customer.get("accepts_marketing") : payload.get("buyer_accepts_marketing");
        if (flag == null || !flag.isBoolean()) return null;
        Instant at = Times.parseOrNull(Json.text(customer, "accepts_marketing_updated_at"));
        return new ConsentChange(ConsentChange.EMAIL_MARKETING,
                flag.asBoolean() ? ConsentChange.State.granted : ConsentChange.State.not_given, null, at, evidence);
    }

    private static ObjectNode context(JsonNode payload) {
        ObjectNode c = Json.object();
        Fields.copy(c, "ip", payload, "browser_ip");
        Fields.copy(c, "landing_site", payload, "landing_site");
        Fields.copy(c, "referring_site", payload, "referring_site");
        return c.isEmpty() ? null : c;
    }



    private static Instant firstTime(JsonNode node, String... fields) {
        return Times.parseOrNull(Fields.firstOf(node, fields));
    }



}
