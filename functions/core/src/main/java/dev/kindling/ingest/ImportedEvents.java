package dev.kindling.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.Source;
import dev.kindling.event.Trust;
import dev.kindling.contact.Identity;
import dev.kindling.json.Json;
import dev.kindling.shop.Signatures;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * A shop's history, as its own exports and APIs give it, to canonical events an import brings in
 * ({@link CanonicalEvent#imported}): Shopify's customer and order CSV exports (their documented column
 * headers), Shopify's Admin GraphQL customers and orders (a bulk operation's objects), and Segment-spec calls.
 * Each goes through the mapper its live twin goes through — a customer row becomes the {@code customers/create}
 * payload it describes, an order row group the {@code orders/create} payload — so an imported person, order or
 * consent is what the same fact arriving live would be. Consent carries where it came from (the import, the file's
 * line or the API) as its evidence.
 *
 * <p>Every event's delivery key comes from the source's own ids ({@link Imported#deliveryKey}), so importing the same
 * file or pulling the same shop again stores nothing twice. Imports are authority: the shop's admin ran them.
 *
 * @throws IllegalArgumentException from every method, naming what makes a row unusable
 */
public final class ImportedEvents {
    /** Shopify's CSV exports write times as {@code 2024-03-05 14:22:10 -0500}. */
    private static final DateTimeFormatter SHOPIFY_CSV_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z", Locale.ROOT);

    private ImportedEvents() {}

    /** An event an import brings in, and the key that stores it once however often it is imported. */
    public record Imported(String deliveryKey, CanonicalEvent event) {}

    /** A row of Shopify's customer CSV export: the customer as {@code customers/create} would give them. */
    public static Imported shopifyCustomerCsv(String importId, int line, JsonNode row, Instant receivedAt) {
        String id = shopifyId(text(row, "Customer ID"));
        String email = text(row, "Email");
        String phone = text(row, "Phone");
        if (email == null && phone == null) throw new IllegalArgumentException("no Email and no Phone: nothing to know the customer by");
        if (email != null && !Identity.looksLikeEmail(email)) throw new IllegalArgumentException("Email " + shown(email) + " is not an email address");
        ObjectNode customer = Json.object();
        // without a Customer ID (an export from before Shopify added the column), the address is who they are
        customer.put("id", id != null ? id : "email:" + email);
        put(customer, "email", email);
        put(customer, "phone", phone);
        put(customer, "first_name", text(row, "First Name"));
        put(customer, "last_name", text(row, "Last Name"));
        put(customer, "tags", text(row, "Tags"));
        String country = text(row, "Default Address Country Code");
        if (country != null) customer.putObject("default_address").put("country_code", country);
        String accepts = text(row, "Accepts Email Marketing");
        if (accepts != null) {
            // the export states the choice without its date or opt-in level: the ledger records the import as its evidence
            customer.putObject("email_marketing_consent").put("state", yes(accepts, "Accepts Email Marketing") ? "subscribed" : "not_subscribed");
        }
        return through(importId, "shopify-customer", customer.path("id").asText(), digest(row), Source.SHOPIFY, receivedAt,
                event -> ShopifyMapper.map("customers/create", customer, event, "shopify customer CSV export, import " + importId + " line " + line));
    }

    /**
     * One order of Shopify's order CSV export: its first row (the order's fields) and a row per line item after it
     * ({@code Lineitem …}), given as {@code {"row": {…}, "lines": [{…}, …]}} with the first row among the lines.
     */
    public static Imported shopifyOrderCsv(String importId, int line, JsonNode order, Instant receivedAt) {
        JsonNode row = order.path("row");
        String name = text(row, "Name");
        String id = shopifyId(text(row, "Id"));
        if (id == null && name == null) throw new IllegalArgumentException("no Id and no Name: the order cannot be told apart");
        String email = text(row, "Email");
        String phone = text(row, "Phone");
        if (email == null && phone == null) throw new IllegalArgumentException("order " + name + " has no Email and no Phone: nothing to know the customer by");
        if (email != null && !Identity.looksLikeEmail(email)) throw new IllegalArgumentException("Email " + shown(email) + " is not an email address");
        Instant created = csvTime(row, "Created at");
        if (created == null) throw new IllegalArgumentException("order " + name + " has no Created at");
        ObjectNode o = Json.object();
        o.put("id", id != null ? id : name);
        put(o, "name", name);
        put(o, "email", email);
        put(o, "phone", phone);
        o.put("created_at", created.toString());
        Instant paid = csvTime(row, "Paid at");
        o.put("processed_at", (paid != null ? paid : created).toString());
        put(o, "currency", text(row, "Currency"));
        put(o, "total_price", text(row, "Total"));
        put(o, "subtotal_price", text(row, "Subtotal"));
        put(o, "total_tax", text(row, "Taxes"));
        put(o, "total_discounts", text(row, "Discount Amount"));
        if (text(row, "Shipping") != null) o.putObject("total_shipping_price_set").putObject("shop_money").put("amount", text(row, "Shipping"));
        if (text(row, "Discount Code") != null) o.putArray("discount_codes").addObject().put("code", text(row, "Discount Code"));
        put(o, "financial_status", lower(text(row, "Financial Status")));
        put(o, "fulfillment_status", lower(text(row, "Fulfillment Status")));
        Instant cancelled = csvTime(row, "Cancelled at");
        if (cancelled != null) o.put("cancelled_at", cancelled.toString());
        String country = text(row, "Billing Country");
        if (country == null) country = text(row, "Shipping Country");
        if (country != null) o.putObject("billing_address").put("country_code", country);
        ArrayNode items = o.putArray("line_items");
        for (JsonNode item : order.path("lines")) {
            if (text(item, "Lineitem name") == null) continue;
            ObjectNode li = items.addObject();
            put(li, "title", text(item, "Lineitem name"));
            put(li, "sku", text(item, "Lineitem sku"));
            put(li, "price", text(item, "Lineitem price"));
            li.put("quantity", integer(item, "Lineitem quantity"));
        }
        String refunded = text(row, "Refunded Amount");
        if (refunded != null && Fields.decimal(refunded).signum() > 0) {
            // the export gives the refunded total, not each refund: one refund of it, with a stable id
            refund(o.putArray("refunds"), "csv-" + o.path("id").asText(), refunded);
        }
        return through(importId, "shopify-order", o.path("id").asText(), digest(order), Source.SHOPIFY, receivedAt,
                event -> ShopifyMapper.map("orders/create", o, event, "shopify order CSV export, import " + importId + " line " + line));
    }

    /**
     * A Segment-spec call (identify, track, page, screen, group, alias) with its own timestamp, from any system's
     * history. Stored under its messageId as a live call is ({@code tracking:<messageId>}), so one that also arrived
     * live is stored once; without a messageId, one derived from the call's content.
     */
    public static Imported segmentCall(String importId, JsonNode message, String serverKey, Instant receivedAt) {
        CanonicalEvent event = new TrackingMapper(Trust.AUTHORITY, serverKey).map(null, message, null, receivedAt);
        return new Imported("tracking:" + event.messageId(), event.imported(importId));
    }

    /**
     * A customer of Shopify's Admin GraphQL API (a bulk operation's object: {@code id} as a GID, {@code email},
     * {@code emailMarketingConsent} with its state, opt-in level and date, {@code defaultAddress}, {@code tags},
     * {@code createdAt}, {@code updatedAt}), as {@code customers/create} would give them.
     */
    public static Imported shopifyCustomer(String importId, JsonNode node, Instant receivedAt) {
        String id = gidNumber(text(node, "id"));
        if (id == null) throw new IllegalArgumentException("customer has no id");
        ObjectNode c = Json.object().put("id", id);
        put(c, "email", text(node, "email"));
        put(c, "phone", text(node, "phone"));
        put(c, "first_name", text(node, "firstName"));
        put(c, "last_name", text(node, "lastName"));
        put(c, "created_at", text(node, "createdAt"));
        put(c, "updated_at", text(node, "updatedAt"));
        if (node.path("tags").isArray()) c.put("tags", String.join(", ", Json.MAPPER.convertValue(node.get("tags"), String[].class)));
        put(c, "state", lower(text(node, "state")));
        String country = text(node.path("defaultAddress"), "countryCodeV2");
        if (country != null) c.putObject("default_address").put("country_code", country);
        JsonNode consent = node.path("emailMarketingConsent");
        if (consent.isObject() && text(consent, "marketingState") != null) {
            c.putObject("email_marketing_consent").put("state", lower(text(consent, "marketingState")))
                    .put("opt_in_level", lower(text(consent, "marketingOptInLevel")))
                    .put("consent_updated_at", text(consent, "consentUpdatedAt"));
        }
        if (c.path("email").isMissingNode() && c.path("phone").isMissingNode()) {
            throw new IllegalArgumentException("customer " + id + " has no email and no phone: nothing to know them by");
        }
        return through(importId, "shopify-customer", id, version(node, "updatedAt"), Source.SHOPIFY, receivedAt,
                event -> ShopifyMapper.map("customers/create", c, event, "shopify Admin API import " + importId));
    }

    /**
     * An order of Shopify's Admin GraphQL API, with its line items (the bulk operation's child objects, gathered under
     * {@code lineItems}) and refunds: money as {@code …Set.shopMoney.amount}, the customer as {@code customer.id}.
     */
    public static Imported shopifyOrder(String importId, JsonNode node, Instant receivedAt) {
        String id = gidNumber(text(node, "id"));
        if (id == null) throw new IllegalArgumentException("order has no id");
        ObjectNode o = Json.object().put("id", id);
        put(o, "name", text(node, "name"));
        put(o, "email", text(node, "email"));
        put(o, "phone", text(node, "phone"));
        put(o, "created_at", text(node, "createdAt"));
        put(o, "processed_at", text(node, "processedAt"));
        put(o, "updated_at", text(node, "updatedAt"));
        put(o, "cancelled_at", text(node, "cancelledAt"));
        put(o, "currency", text(node, "currencyCode"));
        put(o, "total_price", money(node, "totalPriceSet"));
        put(o, "subtotal_price", money(node, "subtotalPriceSet"));
        put(o, "total_tax", money(node, "totalTaxSet"));
        put(o, "total_discounts", money(node, "totalDiscountsSet"));
        put(o, "financial_status", lower(text(node, "displayFinancialStatus")));
        put(o, "fulfillment_status", lower(text(node, "displayFulfillmentStatus")));
        if (node.path("discountCodes").isArray() && !node.path("discountCodes").isEmpty()) {
            o.putArray("discount_codes").addObject().put("code", node.path("discountCodes").get(0).asText());
        }
        String customerId = gidNumber(text(node.path("customer"), "id"));
        if (customerId != null) o.putObject("customer").put("id", customerId);
        ArrayNode items = o.putArray("line_items");
        for (JsonNode item : node.path("lineItems")) {
            ObjectNode li = items.addObject();
            put(li, "title", text(item, "title"));
            put(li, "sku", text(item, "sku"));
            put(li, "product_id", gidNumber(text(item.path("product"), "id")));
            put(li, "variant_id", gidNumber(text(item.path("variant"), "id")));
            put(li, "price", money(item, "originalUnitPriceSet"));
            li.put("quantity", item.path("quantity").asInt(1));
        }
        ArrayNode refunds = Json.MAPPER.createArrayNode();
        for (JsonNode refund : node.path("refunds")) {
            String amount = money(refund, "totalRefundedSet");
            if (gidNumber(text(refund, "id")) != null && amount != null) {
                refund(refunds, gidNumber(text(refund, "id")), amount);
            }
        }
        if (!refunds.isEmpty()) o.set("refunds", refunds);
        if (o.path("email").isMissingNode() && customerId == null && o.path("phone").isMissingNode()) {
            throw new IllegalArgumentException("order " + id + " names no customer, email or phone");
        }
        return through(importId, "shopify-order", id, version(node, "updatedAt"), Source.SHOPIFY, receivedAt,
                event -> ShopifyMapper.map("orders/create", o, event, "shopify Admin API import " + importId));
    }

    /**
     * A customer or an order of WooCommerce's REST API v3 ({@code {"customer": {…}}} or {@code {"order": {…}}}, as its
     * pages give them), as its {@code customer.created} or {@code order.created} webhook would carry it.
     */
    public static Imported wooCommerce(String importId, JsonNode row, Instant receivedAt) {
        boolean order = row.has("order");
        JsonNode resource = order ? row.get("order") : row.path("customer");
        String id = text(resource, "id");
        if (id == null) throw new IllegalArgumentException((order ? "order" : "customer") + " has no id");
        return through(importId, "woocommerce-" + (order ? "order" : "customer"), id, version(resource, "date_modified_gmt"), Source.WOOCOMMERCE,
                receivedAt, event -> WooCommerceMapper.map(order ? "order.created" : "customer.created", resource, event));
    }

    /**
     * The payload through its live twin's mapper, stored under a key from the source: {@code import:<kind>:<id>:<version>}
     * (the version the row's last change, or its content), so the same row again is the same delivery and a changed row
     * a new fact; the event's message id is the key without its {@code import:}.
     */
    private static Imported through(String importId, String kind, String id, String version, Source source, Instant receivedAt,
                                    Function<EventBuilder, Mapped> mapper) {
        String occurrence = kind + ":" + id + ":" + version;
        EventBuilder event = new EventBuilder(source, receivedAt).messageId(IngestApi.bounded(occurrence));
        CanonicalEvent mapped = switch (mapper.apply(event)) {
            case Mapped.Event(CanonicalEvent e) -> e;
            case Mapped.Ignored ignored -> throw new IllegalStateException(ignored.reason());
        };
        return new Imported(IngestApi.bounded("import:" + occurrence), mapped.imported(importId));
    }

    /** The object's last change as the platform dates it, or (undated) its content. */
    private static String version(JsonNode node, String changedAt) {
        String at = text(node, changedAt);
        return at != null ? at : digest(node);
    }

    /** One refund as Shopify's REST shape gives it: its id and a successful refund transaction of the amount. */
    private static void refund(ArrayNode refunds, String id, String amount) {
        refunds.addObject().put("id", id).putArray("transactions").addObject().put("kind", "refund").put("status", "success").put("amount", amount);
    }

    /** A row's content, so a row that changed between two exports is a new fact and the same row is the same one. */
    private static String digest(JsonNode row) {
        return Signatures.sha256Hex(row.toString()).substring(0, 16);
    }

    /** Shopify's exports write ids as {@code '7012345678} (the quote keeps spreadsheets from rounding them). */
    private static String shopifyId(String text) {
        if (text == null) return null;
        String id = text.startsWith("'") ? text.substring(1) : text;
        return id.isBlank() ? null : id.strip();
    }

    /** The number at the end of a GID ({@code gid://shopify/Customer/7012345678}), as the REST API and webhooks give ids. */
    public static String gidNumber(String gid) {
        if (gid == null) return null;
        int slash = gid.lastIndexOf('/');
        String id = slash < 0 ? gid : gid.substring(slash + 1);
        int query = id.indexOf('?');
        return query < 0 ? id : id.substring(0, query);
    }

    private static String money(JsonNode node, String field) {
        return text(node.path(field).path("shopMoney"), "amount");
    }

    private static Instant csvTime(JsonNode row, String column) {
        String text = text(row, column);
        if (text == null) return null;
        try {
            return OffsetDateTime.parse(text, SHOPIFY_CSV_TIME).toInstant();
        } catch (DateTimeParseException notShopifys) {
            Instant iso = Times.parseOrNull(text);
            if (iso == null) throw new IllegalArgumentException(column + " " + shown(text) + " is not a date and time (2024-03-05 14:22:10 -0500)");
            return iso;
        }
    }

    private static boolean yes(String text, String column) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "yes", "true", "1" -> true;
            case "no", "false", "0" -> false;
            default -> throw new IllegalArgumentException(column + " must be yes or no; was " + shown(text));
        };
    }

    private static int integer(JsonNode row, String column) {
        String text = text(row, column);
        if (text == null) return 1;
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " " + shown(text) + " is not a whole number");
        }
    }

    private static String text(JsonNode node, String field) {
        String text = Json.text(node, field);
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    private static void put(ObjectNode target, String field, String value) {
        if (value != null) target.put(field, value);
    }

    private static String shown(String text) {
        return text.length() > 40 ? "\"" + text.substring(0, 40) + "…\"" : "\"" + text + "\"";
    }
}
