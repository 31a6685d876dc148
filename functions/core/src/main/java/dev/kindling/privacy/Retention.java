package dev.kindling.privacy;

import dev.kindling.contact.Contact;
import dev.kindling.event.BusEvent;
import dev.kindling.json.Json;
import dev.kindling.shop.Shop;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * A shop's retention of inactive people (GDPR's storage limitation): off unless the shop's record sets
 * {@code purgeInactiveMonths}. The scheduled refresh, which reads every profile anyway, asks for the erasure
 * of each person last seen before the cutoff (one bus event each, no extra reads); PrivacyFunction checks
 * again when it gets the request, since the person may have come back meanwhile, and erases them as an
 * erasure request would, keeping a suppressed address's hash and the audit record.
 */
public final class Retention {
    /** The topic of a retention request on the bus, beside Shopify's privacy topics. */
    public static final String TOPIC = "retention/inactive";

    private Retention() {}

    /** Before when a person must have been last seen to be purged, or empty when the shop keeps everyone. */
    public static Optional<Instant> cutoff(Shop shop, Instant now) {
        if (shop == null || shop.purgeInactiveMonths() == null) return Optional.empty();
        return Optional.of(now.atOffset(ZoneOffset.UTC).minusMonths(shop.purgeInactiveMonths()).toInstant());
    }

    /**
     * No event of theirs (an order is one) since the cutoff, to within the precision {@code lastSeen} is kept to. A profile
     * with no event at all is never purged here.
     */
    public static boolean inactive(Contact contact, Instant cutoff) {
        return contact.lastSeen() != null && contact.lastSeen().plus(Contact.LAST_SEEN_PRECISION).isBefore(cutoff);
    }

    /** The request PrivacyFunction acts on: a repeat for the same last activity is the same request. */
    public static BusEvent request(String shopId, Contact contact, Instant cutoff, Instant now) {
        var detail = Json.object().put("shopId", shopId).put("topic", TOPIC).put("contactId", contact.contactId())
                .put("lastSeen", contact.lastSeen().toString()).put("cutoff", cutoff.toString())
                .put("deliveryId", "retention-" + contact.contactId() + "-" + contact.lastSeen().toEpochMilli());
        return BusEvent.privacyRequested(now, detail);
    }
}
