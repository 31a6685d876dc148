package dev.kindling.handler.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.audience.SegmentRefresh;
import dev.kindling.audience.ClvRefresh;
import dev.kindling.event.BusEvent;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.Log;
import dev.kindling.handler.bus.BusEventHandler;
import dev.kindling.email.ShopEmail;
import dev.kindling.journey.flow.Journeys;
import dev.kindling.json.Json;
import dev.kindling.privacy.Retention;
import dev.kindling.segment.MembershipStore;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * SegmentRefreshFunction: on its schedule, settles every shop's time-based segments and stage
 * rules; on {@code settings.changed}, fills a saved segment for every contact, or drops a deleted
 * segment's member list.
 */
public final class SegmentRefreshHandler extends BusEventHandler {
    private final SegmentRefresh refresh;
    private final MembershipStore memberships;
    private final ShopDirectory shops;
    private final Clock clock;
    private final ShopEmail email;
    private final ClvRefresh clv;

    /** For Lambda. */
    public SegmentRefreshHandler() {
        this(AwsWiring.services().segmentRefresh(), AwsWiring.services().clvRefresh(), AwsWiring.services().memberships(),
                AwsWiring.services().email(), AwsWiring.services().shops(), AwsWiring.services().clock());
    }

    public SegmentRefreshHandler(SegmentRefresh refresh, ClvRefresh clv, MembershipStore memberships, ShopEmail email, ShopDirectory shops, Clock clock) {
        this.refresh = refresh;
        this.clv = clv;
        this.memberships = memberships;
        this.email = email;
        this.shops = shops;
        this.clock = clock;
    }

    @Override
    protected ObjectNode handle(String source, String detailType, JsonNode detail, JsonNode envelope) {
        ObjectNode result = Json.object();
        if (BusEvent.SETTINGS_CHANGED.equals(detailType)) {
            String shopId = detail.path("shopId").asText();
            if (detail.hasNonNull("saved")) {
                result.set(shopId, Json.MAPPER.valueToTree(refresh.backfill(shopId, List.of(detail.get("saved").asText()))));
            }
            if (detail.hasNonNull("deleted")) {
                String segmentId = detail.get("deleted").asText();
                Instant deletedAt = detail.hasNonNull("at") ? Instant.parse(detail.get("at").asText()) : clock.instant();
                result.put("removedMembers", memberships.dropMembers(shopId, segmentId, deletedAt));
            }
            return result;
        }
        // the schedule's input names no shop: every shop is refreshed (and, where it has a retention policy, purged)
        Instant now = clock.instant();
        for (String shopId : shops.ids()) {
            // the lifetime-value model first (once a day), so segments on predicted_clv read today's
            clv.refresh(shopId, false);
            Instant purgeBefore = Retention.cutoff(shops.byId(shopId).orElse(null), now).orElse(null);
            result.set(shopId, Json.MAPPER.valueToTree(refresh.refresh(shopId, purgeBefore, Journeys.enabled(email.current(shopId).journeys()))));
        }
        Log.info("segments refreshed", "shops", result);
        return result;
    }
}
