package dev.kindling.engagement;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.email.EmailStore;
import dev.kindling.json.Json;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Pauses a shop's marketing email before SES would review the account: when the shop's bounce rate
 * over the last {@value #WINDOW_DAYS} days passes {@value #MAX_BOUNCE_RATE} (SES reviews at 5%) or its
 * complaint rate passes {@value #MAX_COMPLAINT_RATE} (SES: 0.1%), counted over at least
 * {@value #MIN_SENT} sends so a handful of early bounces does not stop a new shop. Checked when a
 * bounce or complaint arrives (the only moments a rate can rise); the pause is a versioned email
 * document, so every function sees it with the read it already makes per send, and the reason is
 * visible in the admin API. It lifts only by an explicit resume. Transactional email is not paused.
 */
public final class DeliverabilityGuard {
    static final int WINDOW_DAYS = 7;
    static final double MAX_BOUNCE_RATE = 0.04;
    static final double MAX_COMPLAINT_RATE = 0.0008;
    static final long MIN_SENT = 200;

    private final EmailStore store;
    private final EmailStats stats;
    private final Clock clock;

    public DeliverabilityGuard(EmailStore store, EmailStats stats, Clock clock) {
        this.store = store;
        this.stats = stats;
        this.clock = clock;
    }

    /** The shop's rates now, and whether they pass a threshold. */
    public record Rates(long sent, long bounced, long complained) {
        public double bounceRate() {
            return sent == 0 ? 0 : (double) bounced / sent;
        }

        public double complaintRate() {
            return sent == 0 ? 0 : (double) complained / sent;
        }

        /** Why marketing must pause, or null. */
        String breach() {
            if (sent < MIN_SENT) return null;
            if (bounceRate() > MAX_BOUNCE_RATE) return String.format("bounce rate %.2f%% over %d days is above %.0f%%", bounceRate() * 100, WINDOW_DAYS, MAX_BOUNCE_RATE * 100);
            if (complaintRate() > MAX_COMPLAINT_RATE) return String.format("complaint rate %.3f%% over %d days is above %.2f%%", complaintRate() * 100, WINDOW_DAYS, MAX_COMPLAINT_RATE * 100);
            return null;
        }
    }

    public Rates rates(String shopId) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        long sent = 0, bounced = 0, complained = 0;
        for (EmailStats.Row row : stats.read(shopId, today.minusDays(WINDOW_DAYS - 1), today)) {
            sent += row.counts().getOrDefault("send", 0L);
            bounced += row.counts().getOrDefault("bounce", 0L);
            complained += row.counts().getOrDefault("complaint", 0L);
        }
        return new Rates(sent, bounced, complained);
    }

    /** After a bounce or complaint: pauses marketing if a rate passed its threshold (once; a pause stays until resumed). */
    public void check(String shopId) {
        EmailStore.Documents docs = store.documents(shopId);
        if (docs.marketingPaused().isPresent()) return;
        Rates rates = rates(shopId);
        String breach = rates.breach();
        if (breach == null) return;
        ObjectNode pause = Json.object().put("paused", true).put("reason", breach).put("at", clock.instant().toString())
                .put("sent", rates.sent()).put("bounced", rates.bounced()).put("complained", rates.complained());
        store.putGuard(shopId, pause, docs.version()); // lost to a concurrent change: the next bounce checks again
    }

    /** Lifts the pause (the shop fixed its list); the next breach pauses again. */
    public boolean resume(String shopId, String by) {
        EmailStore.Documents docs = store.documents(shopId);
        ObjectNode resumed = Json.object().put("paused", false).put("resumedBy", by).put("at", clock.instant().toString());
        return store.putGuard(shopId, resumed, docs.version());
    }

    /** The guard's state for the admin API: the rates, and the pause with its reason if there is one. */
    public ObjectNode state(String shopId) {
        Rates rates = rates(shopId);
        ObjectNode out = Json.object().put("windowDays", WINDOW_DAYS).put("sent", rates.sent()).put("bounced", rates.bounced())
                .put("complained", rates.complained()).put("bounceRate", rates.bounceRate()).put("complaintRate", rates.complaintRate())
                .put("maxBounceRate", MAX_BOUNCE_RATE).put("maxComplaintRate", MAX_COMPLAINT_RATE).put("minimumSent", MIN_SENT);
        store.documents(shopId).guard().ifPresent(g -> out.set("guard", g));
        return out;
    }
}
