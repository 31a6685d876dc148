package dev.kindling.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.event.EventNames;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.json.Json;
import java.time.Instant;

/**
 * WooCommerce webhook payloads (REST API v3 order and customer shapes) to canonical events.
 *
 * <p>An order's status decides its name: pending (awaiting payment at checkout) is a started
 * checkout; processing, on-hold and completed are an order; cancelled and failed take it back;
 * refunded carries its refunds. Guest orders have customer_id 0 and are known by billing email.
 */
final class WooCommerceMapper {
    private WooCommerceMapper() {}

    /**
     * What makes two deliveries the same occurrence: WooCommerce gives every delivery (a retry too) a new
     * delivery id, so the resource's id, the topic and its {@code date_modified_gmt} say it; without those,
     * the delivery id.
     */
    static String occurrence(String topic, String deliveryId, JsonNode body) {
        String id = Json.text(body, "id");
        String modified = Fields.firstOf(body, "date_modified_gmt", "date_created_gmt");
        if (id != null && modified != null) return topic.replace('.', '-') + "-" + id + "-" + modified;
        return "delivery-" + deliveryId;
    }

    static Mapped map(String topic, String deliveryId, String webhookId, JsonNode body, Instant receivedAt) {
        EventBuilder event = new EventBuilder(Source.WOOCOMMERCE, receivedAt)
                .messageId("woocommerce-" + IngestApi.bounded(occurrence(topic, deliveryId, body)))
                .externalId("deliveryId", deliveryId)
                .externalId("webhookId", webhookId)
                .externalId("topic", topic);
        return map(topic, body, event);
    }

    /** A resource in the topic's REST shape that came another way than its webhook (an import): {@code event} carries its id. */
    static Mapped map(String topic, JsonNode body, EventBuilder event) {
        int dot = topic.indexOf('.');
        String resource = dot < 0 ? topic : topic.substring(0, dot);
        String action = dot < 0 ? "" : topic.substring(dot + 1);
        if (!resource.equals("order") && !resource.equals("customer")) {
            return new Mapped.Ignored("topic " + topic + " is not one Kindling reads");
        }
        if (!body.isObject()) throw new IllegalArgumentException("body must be a JSON object");
        if (resource.equals("order")) order(event, action, body);
        else customer(event, action, body);
        if (!event.hasIdentity()) throw new IllegalArgumentException("payload names no customer, email or order");
        return new Mapped.Event(event.build());
    }

    private static void order(EventBuilder event, String action, JsonNode order) {
        String id = Fields.require(order, "id");
        String status = order.path("status").asText("");
        JsonNode billing = order.path("billing");
        event.event(orderEventName(action, status))
                .userId(customerId(order.path("customer_id")))
                .email(Json.text(billing, "email"))
                .anonymousId("woocommerce-order:" + id)
                // a created order happened when it was placed; a later change when it was modified
                .timestamp(Times.parseOrNull(action.equals("created") ? Fields.firstOf(order, "date_created_gmt", "date_modified_gmt")
                        : Fields.firstOf(order, "date_modified_gmt", "date_created_gmt")))
                .traits(addressTraits(billing))
                .consent(SmsConsent.wooCommerce(order.path("meta_data"), Times.parseOrNull(Fields.firstOf(order, "date_modified_gmt", "date_created_gmt")),
                        "woocommerce order " + id));
        ObjectNode c = Json.object();
        Fields.copy(c, "ip", order, "customer_ip_address");
        Fields.copy(c, "userAgent", order, "customer_user_agent");
        if (!c.isEmpty()) event.context(c);
        ObjectNode p = Json.object();
        p.put("order_id", id);
        Fields.copy(p, "order_number", order, "number");
        Fields.copy(p, "status", order, "status");
        // created already cancelled or failed: never a purchase, so nothing of a purchase is reversed either
        if (action.equals("created") && EventNames.ORDER_CANCELLED.equals(orderEventName(action, status))) p.put(EventNames.PLACED, false);
        Fields.copyAmount(p, "total", order, "total");
        Fields.copyAmount(p, "tax", order, "total_tax");
        Fields.copyAmount(p, "shipping", order, "shipping_total");
        Fields.copyAmount(p, "discount", order, "discount_total");
        Fields.copy(p, "currency", order, "currency");
        Fields.copy(p, "checkout_url", order, "payment_url");
        Fields.copy(p, "payment_method", order, "payment_method");
        Fields.copyAddressFingerprint(p, order.path("shipping"), "address_1", "postcode", "country");
        JsonNode coupons = order.path("coupon_lines");
        if (coupons.isArray() && !coupons.isEmpty()) {
            Fields.copy(p, "coupon", coupons.get(0), "code");
            ArrayNode all = p.putArray("coupons"); // every code, so each unique code an order redeems is marked
            coupons.forEach(line -> { if (line.path("code").isTextual()) all.add(line.path("code").asText()); });
        }
        p.set("products", Products.from(order.path("line_items"),
                "product_id", "variation_id", null, "sku", "name", "quantity", "price", "image/src", null));
        ArrayNode refunds = Json.MAPPER.createArrayNode();
        for (JsonNode refund : order.path("refunds")) {
            String refundId = Json.text(refund, "id");
            if (refundId != null) {
                refunds.addObject().put("refund_id", refundId)
                        .put("amount", Fields.decimal(Json.text(refund, "total")).abs().toPlainString());
            }
        }
        if (!refunds.isEmpty()) p.set("refunds", refunds);
        event.properties(p);
    }

    private static String orderEventName(String action, String status) {
        if (action.equals("deleted")) return EventNames.ORDER_CANCELLED;
        return switch (status) {
            case "pending", "checkout-draft" -> EventNames.CHECKOUT_STARTED;
            case "cancelled", "failed", "trash" -> EventNames.ORDER_CANCELLED;
            case "refunded" -> EventNames.ORDER_REFUNDED;
            case "completed" -> action.equals("created") ? EventNames.ORDER_COMPLETED : EventNames.ORDER_FULFILLED;
            default -> action.equals("created") ? EventNames.ORDER_COMPLETED : EventNames.ORDER_UPDATED;
        };
    }

    private static void customer(EventBuilder event, String action, JsonNode customer) {
        String id = Fields.require(customer, "id");
        event.type(action.equals("deleted") ? EventType.TRACK : EventType.IDENTIFY)
                .event(switch (action) {
                    case "created" -> EventNames.CUSTOMER_CREATED;
                    case "deleted" -> "Customer Deleted";
                    default -> EventNames.CUSTOMER_UPDATED;
                })
                .userId(customerId(customer.path("id")))
                .email(Json.text(customer, "email") != null ? Json.text(customer, "email") : Json.text(customer.path("billing"), "email"))
                .timestamp(Times.parseOrNull(Fields.firstOf(customer, "date_modified_gmt", "date_created_gmt")));
        ObjectNode t = addressTraits(customer.path("billing"));
        if (t == null) t = Json.object();
        Fields.copy(t, "first_name", customer, "first_name");
        Fields.copy(t, "last_name", customer, "last_name");
        Fields.copy(t, "username", customer, "username");
        event.traits(t.isEmpty() ? null : t)
                .consent(SmsConsent.wooCommerce(customer.path("meta_data"), Times.parseOrNull(Fields.firstOf(customer, "date_modified_gmt", "date_created_gmt")),
                        "woocommerce customer " + id));
        ObjectNode p = Json.object();
        p.put("customer_id", id);
        Fields.copy(p, "role", customer, "role");
        event.properties(p);
    }

    /** WooCommerce's customer id: 0 means a guest. */
    private static String customerId(JsonNode id) {
        String text = id.isMissingNode() || id.isNull() ? null : id.asText();
        return text == null || text.isBlank() || text.equals("0") ? null : text;
    }

    private static ObjectNode addressTraits(JsonNode billing) {
        ObjectNode t = Json.object();
        Fields.copy(t, "first_name", billing, "first_name");
        Fields.copy(t, "last_name", billing, "last_name");
        Fields.copy(t, "phone", billing, "phone");
        String country = Json.text(billing, "country");
        if (country != null) t.putObject("address").put("country_code", country);
        SmsConsent.normalisePhone(t);
        return t.isEmpty() ? null : t;
    }




}
