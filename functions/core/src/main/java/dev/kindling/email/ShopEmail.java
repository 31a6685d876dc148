package dev.kindling.email;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.coupon.Coupon;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A shop's email settings and templates, compiled and kept between invocations until the shop's
 * email version moves (one small read per use), like the audience settings.
 */
public final class ShopEmail {

    /**
     * @param journeys the shop's stored journey settings by journey id (defaults are the journeys' own)
     * @param marketingPaused why the deliverability guard paused the shop's marketing email, or null
     * @param campaigns the shop's campaign definitions by campaign id
     * @param coupons   the shop's coupons by id (checked when saved)
     */
    public record Snapshot(long version, EmailSettings settings, TemplateLibrary templates, Map<String, JsonNode> journeys, String marketingPaused,
                           Map<String, JsonNode> campaigns, Map<String, Coupon> coupons) {}

    private final EmailStore store;
    private final Map<String, Snapshot> cache = new ConcurrentHashMap<>();

    public ShopEmail(EmailStore store) {
        this.store = store;
    }

    public EmailStore store() {
        return store;
    }

    public Snapshot current(String shopId) {
        Snapshot cached = cache.get(shopId);
        if (cached != null && cached.version() == store.version(shopId)) return cached;
        EmailStore.Documents docs = store.documents(shopId);
        Snapshot fresh = new Snapshot(docs.version(), settings(docs), TemplateLibrary.of(docs.templates()), docs.journeys(),
                docs.marketingPaused().orElse(null), docs.campaigns(), coupons(docs));
        cache.put(shopId, fresh);
        return fresh;
    }

    private static Map<String, Coupon> coupons(EmailStore.Documents docs) {
        Map<String, Coupon> coupons = new TreeMap<>();
        docs.coupons().forEach((id, doc) -> coupons.put(id, Coupon.parse(id, doc)));
        return Map.copyOf(coupons);
    }

    private static EmailSettings settings(EmailStore.Documents docs) {
        if (docs.settings().isEmpty()) return EmailSettings.DEFAULTS;
        List<String> ignored = new ArrayList<>(); // checked when saved
        JsonNode doc = docs.settings().get();
        return EmailSettings.parse(doc, ignored);
    }
}
