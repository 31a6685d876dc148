package dev.kindling.handler.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.event.BusEvent;
import dev.kindling.event.EventPublisher;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.bus.BusEventHandler;
import dev.kindling.json.Json;
import dev.kindling.privacy.PersonalData;
import dev.kindling.privacy.PrivacyRequests;
import dev.kindling.privacy.Retention;
import dev.kindling.retry.Deadline;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * PrivacyFunction: Shopify's mandatory privacy webhooks, relayed by the ingest function over the bus.
 * {@code customers/redact} erases the customer everywhere (their orders are their events, erased with
 * them); {@code shop/redact} erases every item of the shop, over several invocations when it is large; {@code customers/data_request} is recorded in
 * the audit log, and the export is ready at {@code GET /admin/contacts/{id}/export}. Also the shop's own
 * retention ({@link Retention}): a person the scheduled refresh found inactive past the shop's
 * {@code purgeInactiveMonths} is erased, if they still are under the shop's policy now. Every one is
 * idempotent: a repeat finds nothing more to do.
 */
public final class PrivacyHandler extends BusEventHandler {
    /**
     * How long one invocation erases a shop before it hands the rest on (PrivacyFunction may run 900 s): a large shop
     * is erased over as many invocations as it takes, each going on from where the last one stopped.
     */
    static final Duration SHOP_ERASURE_BUDGET = Duration.ofMinutes(10);

    private final PrivacyRequests privacy;
    private final ShopDirectory shops;
    private final EventPublisher bus;
    private final Clock clock;
    private final Duration shopErasureBudget;

    /** For Lambda. */
    public PrivacyHandler() {
        this(AwsWiring.services().privacy(), AwsWiring.services().shops(), AwsWiring.services().bus(), AwsWiring.services().clock());
    }

    public PrivacyHandler(PrivacyRequests privacy, ShopDirectory shops, EventPublisher bus, Clock clock) {
        this(privacy, shops, bus, clock, SHOP_ERASURE_BUDGET);
    }

    /** @param shopErasureBudget how long one invocation erases a shop (a test gives it none, to see the rest handed on) */
    public PrivacyHandler(PrivacyRequests privacy, ShopDirectory shops, EventPublisher bus, Clock clock, Duration shopErasureBudget) {
        this.privacy = privacy;
        this.shops = shops;
        this.bus = bus;
        this.clock = clock;
        this.shopErasureBudget = shopErasureBudget;
    }

    @Override
    protected ObjectNode handle(String source, String detailType, JsonNode detail, JsonNode envelope) {
        if (!BusEvent.PRIVACY_REQUESTED.equals(detailType)) throw new IllegalArgumentException("PrivacyFunction does not handle " + detailType);
        String shopId = detail.path("shopId").asText();
        String topic = detail.path("topic").asText();
        String by = "Shopify " + topic + " webhook " + detail.path("deliveryId").asText();
        ObjectNode result = Json.object().put("topic", topic);
        switch (topic) {
            case Retention.TOPIC -> {
                Shop shop = shops.byId(shopId).orElse(null);
                var cutoff = Retention.cutoff(shop, clock.instant());
                String policy = shop == null ? "" : "no activity for " + shop.purgeInactiveMonths() + " months (the shop's purgeInactiveMonths)";
                result.set("erased", Json.MAPPER.valueToTree(cutoff.flatMap(c -> privacy.eraseIfInactive(shopId, Json.text(detail, "contactId"), c,
                        "retention: " + policy)).orElse(Map.of())));
            }
            case "shop/redact" -> {
                PersonalData.ShopErasure pass = privacy.eraseShop(shopId, by, Deadline.after(shopErasureBudget));
                result.put("erasedItems", pass.erased()).put("done", pass.done());
                if (!pass.done()) {
                    // the rest in a new invocation, which goes on from the cursor this one left
                    ObjectNode next = ((ObjectNode) detail).deepCopy().put("pass", detail.path("pass").asInt(1) + 1);
                    bus.publish(List.of(BusEvent.privacyRequested(clock.instant(), next)));
                }
            }
            case "customers/redact" -> privacy.find(shopId, Json.text(detail, "customerId"), Json.text(detail, "email")).ifPresentOrElse(
                    contactId -> result.set("erased", Json.MAPPER.valueToTree(privacy.erase(shopId, contactId, by).orElse(Map.of()))),
                    () -> result.put("erased", "no such customer"));
            case "customers/data_request" -> privacy.find(shopId, Json.text(detail, "customerId"), Json.text(detail, "email")).ifPresentOrElse(
                    contactId -> result.put("exportReady", privacy.dataRequested(shopId, contactId, by)),
                    () -> result.put("exportReady", false));
            default -> throw new IllegalArgumentException("not a privacy topic: " + topic);
        }
        return result;
    }
}
