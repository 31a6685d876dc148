package dev.kindling.email;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * A shop's templates, email settings, journeys, campaigns and coupons (JSON documents), versioned together like the audience
 * settings: a change names the version it was checked against, so a layout cannot be deleted
 * while another admin saves a template that uses it.
 */
public interface EmailStore {

    /**
     * @param journeys each journey's settings (on/off, delays, templates, split, holdout …) by journey id
     * @param guard the deliverability guard's state: whether marketing email is paused, and why
     * @param campaigns each campaign's definition by campaign id
     * @param coupons each coupon's document by coupon id (without its codes, which are in the pool)
     */
    record Documents(long version, Optional<JsonNode> settings, Map<String, JsonNode> templates, Map<String, JsonNode> journeys,
                     Optional<JsonNode> guard, Map<String, JsonNode> campaigns, Map<String, JsonNode> coupons) {
        /** Why the deliverability guard paused the shop's marketing email, if it did. */
        public Optional<String> marketingPaused() {
            return guard.filter(g -> g.path("paused").asBoolean(false)).map(g -> g.path("reason").asText("paused"));
        }
    }

    long version(String shopId);

    Documents documents(String shopId);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean putTemplate(String shopId, String templateId, JsonNode template, long expectedVersion);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean deleteTemplate(String shopId, String templateId, long expectedVersion);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean putJourney(String shopId, String journeyId, JsonNode settings, long expectedVersion);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean deleteJourney(String shopId, String journeyId, long expectedVersion);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean putCampaign(String shopId, String campaignId, JsonNode definition, long expectedVersion);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean deleteCampaign(String shopId, String campaignId, long expectedVersion);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean putCoupon(String shopId, String couponId, JsonNode coupon, long expectedVersion);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean deleteCoupon(String shopId, String couponId, long expectedVersion);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean putSettings(String shopId, JsonNode settings, long expectedVersion);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean putGuard(String shopId, JsonNode guard, long expectedVersion);
}
