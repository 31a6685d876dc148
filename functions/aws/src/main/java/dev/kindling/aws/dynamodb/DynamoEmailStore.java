package dev.kindling.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.email.EmailStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link EmailStore} as versioned documents in {@code S#shop#EMAIL}: the settings, one document per template, one per journey, one per campaign, one per coupon. */
public final class DynamoEmailStore implements EmailStore {
    private static final String SETTINGS_SK = "SETTINGS";
    private static final String TEMPLATE_PREFIX = "TPL#";
    private static final String JOURNEY_PREFIX = "JRN#";
    private static final String GUARD_SK = "GUARD";
    private static final String CAMPAIGN_PREFIX = "CMP#";
    private static final String COUPON_PREFIX = "CPN#";

    private final VersionedDocuments documents;

    public DynamoEmailStore(MeteredTable table) {
        this.documents = new VersionedDocuments(table, "EMAIL");
    }

    @Override
    public long version(String shopId) {
        return documents.version(shopId);
    }

    @Override
    public Documents documents(String shopId) {
        VersionedDocuments.All all = documents.all(shopId);
        Map<String, JsonNode> templates = new HashMap<>();
        Map<String, JsonNode> journeys = new HashMap<>();
        Map<String, JsonNode> campaigns = new HashMap<>();
        Map<String, JsonNode> coupons = new HashMap<>();
        all.documents().forEach((sk, doc) -> {
            if (sk.startsWith(TEMPLATE_PREFIX)) templates.put(sk.substring(TEMPLATE_PREFIX.length()), doc);
            else if (sk.startsWith(JOURNEY_PREFIX)) journeys.put(sk.substring(JOURNEY_PREFIX.length()), doc);
            else if (sk.startsWith(CAMPAIGN_PREFIX)) campaigns.put(sk.substring(CAMPAIGN_PREFIX.length()), doc);
            else if (sk.startsWith(COUPON_PREFIX)) coupons.put(sk.substring(COUPON_PREFIX.length()), doc);
        });
        return new Documents(all.version(), Optional.ofNullable(all.documents().get(SETTINGS_SK)), Map.copyOf(templates), Map.copyOf(journeys),
                Optional.ofNullable(all.documents().get(GUARD_SK)), Map.copyOf(campaigns),
                Map.copyOf(coupons));
    }

    @Override
    public boolean putTemplate(String shopId, String templateId, JsonNode template, long expectedVersion) {
        return documents.put(shopId, TEMPLATE_PREFIX + templateId, template, expectedVersion);
    }

    @Override
    public boolean deleteTemplate(String shopId, String templateId, long expectedVersion) {
        return documents.delete(shopId, TEMPLATE_PREFIX + templateId, expectedVersion);
    }

    @Override
    public boolean putJourney(String shopId, String journeyId, JsonNode settings, long expectedVersion) {
        return documents.put(shopId, JOURNEY_PREFIX + journeyId, settings, expectedVersion);
    }

    @Override
    public boolean deleteJourney(String shopId, String journeyId, long expectedVersion) {
        return documents.delete(shopId, JOURNEY_PREFIX + journeyId, expectedVersion);
    }

    @Override
    public boolean putCampaign(String shopId, String campaignId, JsonNode definition, long expectedVersion) {
        return documents.put(shopId, CAMPAIGN_PREFIX + campaignId, definition, expectedVersion);
    }

    @Override
    public boolean putCoupon(String shopId, String couponId, JsonNode coupon, long expectedVersion) {
        return documents.put(shopId, COUPON_PREFIX + couponId, coupon, expectedVersion);
    }

    @Override
    public boolean deleteCoupon(String shopId, String couponId, long expectedVersion) {
        return documents.delete(shopId, COUPON_PREFIX + couponId, expectedVersion);
    }

    @Override
    public boolean deleteCampaign(String shopId, String campaignId, long expectedVersion) {
        return documents.delete(shopId, CAMPAIGN_PREFIX + campaignId, expectedVersion);
    }

    @Override
    public boolean putSettings(String shopId, JsonNode settings, long expectedVersion) {
        return documents.put(shopId, SETTINGS_SK, settings, expectedVersion);
    }

    @Override
    public boolean putGuard(String shopId, JsonNode guard, long expectedVersion) {
        return documents.put(shopId, GUARD_SK, guard, expectedVersion);
    }
}
