package dev.kindling.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import com.fasterxml.jackson.databind.node.MissingNode;

/** The Segment e-commerce v2 event names we emit and read, and what each does to a customer's purchase facts. */
public final class EventNames {
    public static final String ORDER_COMPLETED = "Order Completed";
    public static final String ORDER_PAID = "Order Paid";
    public static final String ORDER_UPDATED = "Order Updated";
    public static final String ORDER_CANCELLED = "Order Cancelled";
    public static final String ORDER_FULFILLED = "Order Fulfilled";
    public static final String ORDER_REFUNDED = "Order Refunded";
    public static final String CHECKOUT_STARTED = "Checkout Started";
    public static final String CHECKOUT_UPDATED = "Checkout Updated";
    public static final String CART_UPDATED = "Cart Updated";
    public static final String CUSTOMER_CREATED = "Customer Created";
    public static final String CUSTOMER_UPDATED = "Customer Updated";
    public static final String FULFILLMENT_CREATED = "Fulfillment Created";
    public static final String PAGE_VIEWED = "Page Viewed";
    public static final String SCREEN_VIEWED = "Screen Viewed";
    /** An answer to the post-purchase NPS survey ({@code properties.score} 0-10), from its signed link. */
    public static final String NPS_SUBMITTED = "nps.submitted";
    /** Someone asked for marketing email and must confirm the address (double opt-in). */
    public static final String EMAIL_SUBSCRIPTION_REQUESTED = "Email Subscription Requested";

    /** On an Order Cancelled: false when the order was cancelled or voided as it was created, so it never counted as a purchase. */
    public static final String PLACED = "placed";

    public enum CommerceEffect { ORDER, CANCELLATION, REFUND, NONE }

    /**
     * Events Kindling records about a person that are not the person doing anything: a bounce (their mail server), and
     * the loyalty programme's bookkeeping (a tier, a reward, a friend's order). With a machine open (a mailbox provider's
     * proxy fetching images), they never count as the person being active: {@code lastSeen}, and retention with it.
     */
    static final Set<String> NOT_THE_PERSONS_OWN = Set.of("Email Bounced", "Loyalty Tier Reached", "Loyalty Tier Lost",
            "Loyalty Reward Earned", "Referral Converted");

    /** Whether the event is something the person did (anything a shop or tracker sends; Kindling's own, as above). */
    public static boolean isPersonsOwnActivity(CanonicalEvent event) {
        if (event.source() != Source.KINDLING) return true;
        if (event.event() != null && NOT_THE_PERSONS_OWN.contains(event.event())) return false;
        return !(event.properties() != null && event.properties().path("machine_open").asBoolean(false));
    }

    private EventNames() {}

    /**
     * What an ingested event does to orders: nothing when it is a claim. A tracked "Order Completed" from the public
     * write key is behaviour (it scores and segments), never an order: only signed webhooks, imports and the secret
     * server key make, re-total, refund or cancel one.
     */
    public static CommerceEffect commerceEffect(CanonicalEvent event) {
        if (event.event() == null || event.trust().isClaim()) return CommerceEffect.NONE;
        return commerceEffect(event.event(), propertiesOf(event));
    }

    private static JsonNode propertiesOf(CanonicalEvent event) {
        return event.properties() == null ? MissingNode.getInstance() : event.properties();
    }

    /** An order event (placed, paid, cancelled, refunded …) sent as a claim: behaviour only, it starts and ends no journey. */
    public static boolean isClaimedOrder(CanonicalEvent event) {
        return event.trust().isClaim() && event.event() != null
                && commerceEffect(event.event(), propertiesOf(event)) != CommerceEffect.NONE;
    }

    /** What an event does to the order count and total spent. A status of cancelled/failed on any order event takes the order out. */
    public static CommerceEffect commerceEffect(String event, JsonNode properties) {
        return switch (event) {
            case ORDER_COMPLETED, ORDER_PAID, ORDER_UPDATED, ORDER_FULFILLED -> {
                String status = properties.path("status").asText("");
                boolean cancelled = properties.hasNonNull("cancelled_at") || "voided".equals(properties.path("financial_status").asText())
                        || status.equals("cancelled") || status.equals("failed");
                yield cancelled ? CommerceEffect.CANCELLATION : CommerceEffect.ORDER;
            }
            case ORDER_CANCELLED -> CommerceEffect.CANCELLATION;
            case ORDER_REFUNDED -> CommerceEffect.REFUND;
            default -> CommerceEffect.NONE;
        };
    }
}
