package dev.kindling.campaign;

import dev.kindling.shop.Signatures;
import java.time.Instant;

/**
 * The campaigns' schedules: on AWS, EventBridge Scheduler schedules in the stack's schedule group, each invoking
 * CampaignFunction with the shop, the campaign and the time it was due; here, the local runtime's scheduler on its clock.
 */
public interface CampaignSchedules {

    /** Creates or replaces the campaign's schedule; a campaign run only on demand, or switched off, has none. */
    void put(String shopId, Campaign campaign, Instant now);

    /** Stops or restarts the schedule's firings (Scheduler's state DISABLED / ENABLED). */
    void pause(String shopId, String campaignId, boolean paused, Instant now);

    void delete(String shopId, String campaignId);

    /** Fires once at {@code at} for a run's next phase (an A/B test's decision); removed once fired. */
    void once(String shopId, String campaignId, String runId, Instant at);

    /** The schedule's name: readable where it fits Scheduler's 64 characters, else a stable digest. */
    static String name(String shopId, String campaignId) {
        return fitting(shopId + "--" + campaignId, "c-");
    }

    /** The name of a run's one-time schedule ({@link #once}), likewise. */
    static String onceName(String shopId, String campaignId, String runId) {
        return fitting(shopId + "--" + campaignId + "--" + runId, "d-");
    }

    private static String fitting(String readable, String prefix) {
        return readable.length() <= 64 ? readable : prefix + Signatures.sha256Hex(readable).substring(0, 40);
    }
}
