package dev.kindling.report;

import dev.kindling.event.Fingerprint;
import dev.kindling.loyalty.LoyaltyProgramme;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the reports remember about one person, beside the profile: the email touches an order
 * could still be credited to, the journeys and campaigns with a holdout they entered (and which
 * group), how each of their recent orders was credited (so a refund or a cancellation takes back
 * exactly what the order added), when they were last active (sessions), the stage they are
 * counted in, and the ids of the events already counted (a redelivered event counts once); their loyalty points, and the
 * hours of the day (UTC) at which they opened or clicked, for sending at their best time.
 *
 * @param loyalty their points under the shop's programme; null: none counted
 * @param hours   opens and clicks by hour of the day (UTC): only the hours with any (a few bytes on an item billed by the
 *                kilobyte); null: none yet
 */
public record Ledger(List<Touch> touches, Map<String, Arm> arms, Map<String, Order> orders, Instant lastActivity,
                     boolean sessionCarted, String stage, List<String> applied, LoyaltyProgramme.State loyalty, Map<Integer, Integer> hours) {

    public static final Ledger EMPTY = new Ledger(List.of(), Map.of(), Map.of(), null, false, null, List.of(), null, null);
    /** Event ids kept to spot a redelivery: EventBridge redelivers within minutes, long before this many newer events. */
    static final int APPLIED_KEPT = 64;
    static final int ORDERS_KEPT = 50;
    static final int TOUCHES_KEPT = 30;

    /**
     * One entry into a journey or campaign with a holdout.
     *
     * @param cohort  the day of the entry, under which the group's counts are kept
     * @param revenue what this person has spent within the lift window since entering (net of refunds)
     */
    public record Arm(boolean holdout, Instant enteredAt, LocalDate cohort, BigDecimal revenue, boolean converted) {
        String group() {
            return holdout ? "holdout" : "treated";
        }
    }

    /**
     * An order as counted.
     *
     * @param credits the emails it was credited to
     * @param arms    the arms (by source) it counted in, with the amount
     * @param refunds the refund ids already subtracted
     */
    /**
     * @param currency null: the shop's currency; else the order's own, counted apart (its amounts are never added to the
     *                 shop's money, credited to emails or compared between holdout groups)
     */
    public record Order(BigDecimal total, LocalDate day, Instant at, List<Attribution.Credit> credits, Map<String, BigDecimal> arms,
                        Set<String> refunds, BigDecimal refunded, boolean cancelled, String currency) {

        /** The key of a money or order count of this order's day: the shop's own, or its currency's ({@code revenue:EUR}). */
        String key(String name) {
            return currency == null ? name : name + ":" + currency;
        }
    }

    /** Whether this event (or mark) was counted: its fingerprint is among the applied, or its id (ledgers stored before fingerprints). */
    boolean counted(String eventId) {
        return applied.contains(Fingerprint.of(eventId)) || applied.contains(eventId);
    }

    /** Kept as its {@link Fingerprint}: 64 message ids as they are were most of a ledger, written with most events and billed per KB. */
    Ledger withApplied(String eventId) {
        List<String> next = new ArrayList<>(applied);
        next.add(Fingerprint.of(eventId));
        if (next.size() > APPLIED_KEPT) next = next.subList(next.size() - APPLIED_KEPT, next.size());
        return new Ledger(touches, arms, orders, lastActivity, sessionCarted, stage, List.copyOf(next), loyalty, hours);
    }

    Ledger withTouches(List<Touch> next) {
        return new Ledger(next, arms, orders, lastActivity, sessionCarted, stage, applied, loyalty, hours);
    }

    Ledger withArms(Map<String, Arm> next) {
        return new Ledger(touches, Map.copyOf(next), orders, lastActivity, sessionCarted, stage, applied, loyalty, hours);
    }

    Ledger withOrders(Map<String, Order> next) {
        return new Ledger(touches, arms, Map.copyOf(next), lastActivity, sessionCarted, stage, applied, loyalty, hours);
    }

    Ledger withActivity(Instant at, boolean carted) {
        return new Ledger(touches, arms, orders, at, carted, stage, applied, loyalty, hours);
    }

    Ledger withLoyalty(LoyaltyProgramme.State next) {
        return new Ledger(touches, arms, orders, lastActivity, sessionCarted, stage, applied, next, hours);
    }

    /** With one more open or click in the hour of {@code at} (UTC). */
    Ledger withEngagementAt(Instant at) {
        Map<Integer, Integer> next = new TreeMap<>(hours == null ? Map.of() : hours);
        next.merge(at.atZone(ZoneOffset.UTC).getHour(), 1, Integer::sum);
        return new Ledger(touches, arms, orders, lastActivity, sessionCarted, stage, applied, loyalty, Map.copyOf(next));
    }

    /** Opens and clicks by hour of the day (UTC), all 24. */
    List<Integer> hoursOfDay() {
        List<Integer> day = new ArrayList<>(Collections.nCopies(24, 0));
        if (hours != null) hours.forEach((hour, n) -> { if (hour >= 0 && hour < 24) day.set(hour, n); });
        return day;
    }

    /**
     * The shop's-currency spend of the orders kept, net of refunds and without cancellations, placed after {@code since}
     * (null: all): what loyalty counts.
     */
    BigDecimal netSpend(Map<String, Order> of, Instant since) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Order o : of.values()) {
            if (o.cancelled() || o.currency() != null || (since != null && o.at().isBefore(since))) continue;
            sum = sum.add(o.total().subtract(o.refunded()));
        }
        return sum.max(BigDecimal.ZERO);
    }

    Ledger withStage(String next) {
        return new Ledger(touches, arms, orders, lastActivity, sessionCarted, next, applied, loyalty, hours);
    }
}
