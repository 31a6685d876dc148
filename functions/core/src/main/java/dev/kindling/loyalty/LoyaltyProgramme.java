package dev.kindling.loyalty;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shop's loyalty programme, as its email settings write it ({@code loyalty:} in settings.yaml): points for money spent
 * (net of refunds and cancellations) and for what people do, tiers from points or from the last 12 months' spend, points
 * that lapse after a stated time without earning, unique reward codes at point thresholds, and referrals.
 *
 * <pre>
 * loyalty:
 *   pointsPerUnit: 1                  # points per unit of the shop's currency spent
 *   events: {Review Submitted: 50, Referral Converted: 200, Customer Created: 25}   # points per event, from authority only
 *   tiers: [{name: bronze, from: 0}, {name: silver, from: 500}, {name: gold, from: 1000}]
 *   tierBy: points                    # or spend: the last 12 months' spend in the shop's currency
 *   expiresAfter: P365D               # points lapse after this long without earning any; none: they never do
 *   rewards: [{points: 500, coupon: loyalty-500}]   # a unique code of the coupon at each threshold, once a period
 *   referral: {coupon: friends, reward: thanks}      # advocates' shareable codes (a shared pool coupon); their thank-you
 * </pre>
 */
public record LoyaltyProgramme(
        @JsonProperty("pointsPerUnit") BigDecimal pointsPerUnit,
        @JsonProperty("events") Map<String, Integer> events,
        @JsonProperty("tiers") List<Tier> tiers,
        @JsonProperty("tierBy") String tierBy,
        @JsonProperty("expiresAfter") String expiresAfter,
        @JsonProperty("rewards") List<Reward> rewards,
        @JsonProperty("referral") Referral referral) {

    public static final String TIER_REACHED = "Loyalty Tier Reached";
    public static final String TIER_LOST = "Loyalty Tier Lost";
    public static final String REWARD_EARNED = "Loyalty Reward Earned";
    public static final String REFERRAL_CONVERTED = "Referral Converted";
    public static final String SPEND = "spend";
    public static final String POINTS = "points";
    /** The spend a tier by spend counts: the last 12 months'. */
    public static final Duration SPEND_WINDOW = Duration.ofDays(365);

    /** @param from the points (or the 12 months' spend) from which a person is in this tier */
    public record Tier(@JsonProperty("name") String name, @JsonProperty("from") BigDecimal from) {}

    /** A unique code of {@code coupon} given when the points reach {@code points}. */
    public record Reward(@JsonProperty("points") long points, @JsonProperty("coupon") String coupon) {}

    /**
     * @param coupon the coupon whose codes advocates share ({@code shared: true}: a code is one advocate's, used by many friends)
     * @param reward the coupon an advocate gets a unique code of for each friend's first order; null: points only
     */
    public record Referral(@JsonProperty("coupon") String coupon, @JsonProperty("reward") String reward) {}

    /** Points on earned events when the shop writes none. */
    static final Map<String, Integer> DEFAULT_EVENTS = Map.of("Review Submitted", 50, REFERRAL_CONVERTED, 200, "Customer Created", 25);

    /** The programme with what the shop left out taken from the defaults. */
    public LoyaltyProgramme withDefaults() {
        List<Tier> sorted = new ArrayList<>(tiers == null ? List.of() : tiers);
        sorted.sort(Comparator.comparing(Tier::from));
        return new LoyaltyProgramme(pointsPerUnit != null ? pointsPerUnit : BigDecimal.ONE, events != null ? Map.copyOf(events) : DEFAULT_EVENTS,
                List.copyOf(sorted), tierBy != null ? tierBy : POINTS, expiresAfter, rewards != null ? List.copyOf(rewards) : List.of(), referral);
    }

    /** Every problem of the programme, each named by its path under {@code loyalty}. */
    public void check(List<String> problems) {
        if (pointsPerUnit != null && (pointsPerUnit.signum() < 0 || pointsPerUnit.compareTo(BigDecimal.valueOf(1000)) > 0)) {
            problems.add("loyalty.pointsPerUnit: 0 to 1000");
        }
        if (events != null) events.forEach((name, points) -> {
            if (name.isBlank() || name.length() > 100) problems.add("loyalty.events: an event's name, 1-100 characters");
            if (points == null || points < 0 || points > 100_000) problems.add("loyalty.events." + name + ": 0 to 100000 points");
        });
        if (tiers == null || tiers.isEmpty()) problems.add("loyalty.tiers: at least one tier, such as [{name: member, from: 0}]");
        else {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < tiers.size(); i++) {
                Tier t = tiers.get(i);
                if (t == null || t.name == null || !t.name.matches("[a-z0-9][a-z0-9_-]{0,31}")) problems.add("loyalty.tiers[" + i + "].name: 1-32 of a-z, 0-9, _ or -");
                else if (names.contains(t.name)) problems.add("loyalty.tiers[" + i + "].name: " + t.name + " twice");
                else names.add(t.name);
                if (t != null && (t.from == null || t.from.signum() < 0)) problems.add("loyalty.tiers[" + i + "].from: 0 or more");
            }
            if (tiers.stream().noneMatch(t -> t != null && t.from != null && t.from.signum() == 0)) problems.add("loyalty.tiers: one tier from 0 (where everyone starts)");
        }
        if (tierBy != null && !List.of(POINTS, SPEND).contains(tierBy)) problems.add("loyalty.tierBy: points or spend (the last 12 months')");
        if (expiresAfter != null) {
            try {
                Duration d = Duration.parse(expiresAfter);
                if (d.compareTo(Duration.ofDays(30)) < 0 || d.compareTo(Duration.ofDays(3660)) > 0) problems.add("loyalty.expiresAfter: P30D to P3660D");
            } catch (DateTimeParseException bad) {
                problems.add("loyalty.expiresAfter: an ISO-8601 duration such as P365D");
            }
        }
        if (rewards != null) for (int i = 0; i < rewards.size(); i++) {
            Reward r = rewards.get(i);
            if (r == null || r.points < 1) problems.add("loyalty.rewards[" + i + "].points: 1 or more");
            if (r == null || r.coupon == null) problems.add("loyalty.rewards[" + i + "].coupon: the coupon whose code it gives");
        }
        if (referral != null && referral.coupon == null) problems.add("loyalty.referral.coupon: the shared coupon whose codes advocates pass on");
    }

    /** The coupons the programme names (each must exist when the settings are saved). */
    @JsonIgnore
    public List<String> coupons() {
        List<String> named = new ArrayList<>();
        if (rewards != null) rewards.forEach(r -> { if (r != null && r.coupon != null) named.add(r.coupon); });
        if (referral != null) {
            if (referral.coupon != null) named.add(referral.coupon);
            if (referral.reward != null) named.add(referral.reward);
        }
        return named;
    }

    /**
     * A person's points as the programme keeps them, beside the report ledger: what spending (net) and events earned since
     * the points last lapsed, when they last earned, the tier they were last counted in, and the reward thresholds passed.
     *
     * @param period how many times their points lapsed: a reward is given once a period
     */
    public record State(@JsonProperty("spend") BigDecimal spend, @JsonProperty("eventPoints") long eventPoints,
                        @JsonProperty("lastEarnedAt") Instant lastEarnedAt, @JsonProperty("tier") String tier,
                        @JsonProperty("rewardedUpTo") long rewardedUpTo, @JsonProperty("period") int period) {
        public static final State NONE = new State(BigDecimal.ZERO, 0, null, null, 0, 0);
    }

    /**
     * Where a person stands: points, tier, the next tier and what it needs (points, or spend for a tier by spend), and
     * when the points lapse unless more are earned.
     */
    public record Standing(long points, String tier, String nextTier, BigDecimal toNextTier, String measure, Instant expiresAt) {
        public Map<String, Object> variables() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("points", points);
            v.put("tier", tier);
            v.put("next_tier", nextTier);
            v.put("to_next_tier", toNextTier == null ? null : toNextTier.stripTrailingZeros().toPlainString());
            v.put("measure", measure);
            v.put("expires_at", expiresAt == null ? null : expiresAt.toString());
            return v;
        }
    }

    private Duration lapse() {
        return expiresAfter == null ? null : Duration.parse(expiresAfter);
    }

    /** Whether points earned last at {@code lastEarnedAt} have lapsed by {@code at}. */
    boolean lapsed(Instant lastEarnedAt, Instant at) {
        Duration lapse = lapse();
        return lapse != null && lastEarnedAt != null && at.isAfter(lastEarnedAt.plus(lapse));
    }

    /**
     * The state after earning at {@code at}: {@code spendChange} (negative for a refund or a cancellation, which take
     * points back but never below nothing) and {@code eventPoints}. Points that lapsed before it are gone first.
     */
    public State earn(State state, BigDecimal spendChange, long eventPoints, Instant at) {
        State s = state == null ? State.NONE : state;
        if (lapsed(s.lastEarnedAt, at)) s = new State(BigDecimal.ZERO, 0, s.lastEarnedAt, s.tier, 0, s.period + 1);
        BigDecimal spend = s.spend.add(spendChange).max(BigDecimal.ZERO);
        boolean earned = spendChange.signum() > 0 || eventPoints > 0;
        return new State(spend, s.eventPoints + eventPoints, earned ? at : s.lastEarnedAt, s.tier, s.rewardedUpTo, s.period);
    }

    /** The points of a state at {@code at}: nothing once they lapsed. */
    public long points(State state, Instant at) {
        if (state == null || lapsed(state.lastEarnedAt, at)) return 0;
        return state.spend.multiply(pointsPerUnit).setScale(0, RoundingMode.FLOOR).longValue() + state.eventPoints;
    }

    /** Where a person stands at {@code at}; {@code yearSpend} is their last 12 months' spend (for a tier by spend). */
    public Standing standing(State state, BigDecimal yearSpend, Instant at) {
        long points = points(state, at);
        BigDecimal measured = SPEND.equals(tierBy) ? yearSpend : BigDecimal.valueOf(points);
        Tier tier = tiers.getFirst();
        Tier next = null;
        for (Tier t : tiers) {
            if (measured.compareTo(t.from) >= 0) tier = t;
            else if (next == null) next = t;
        }
        Duration lapse = lapse();
        Instant expires = lapse == null || state == null || state.lastEarnedAt == null || points == 0 ? null : state.lastEarnedAt.plus(lapse);
        return new Standing(points, tier.name, next == null ? null : next.name, next == null ? null : next.from.subtract(measured),
                tierBy, expires);
    }

    /** The rewards whose threshold the points passed since the state's last reward, lowest first. */
    public List<Reward> rewardsDue(State state, long points) {
        long upTo = state == null ? 0 : state.rewardedUpTo;
        return rewards.stream().filter(r -> r.points > upTo && r.points <= points).sorted(Comparator.comparingLong(Reward::points)).toList();
    }

    /** The state with the tier it is now counted in and the rewards given up to {@code rewardedUpTo}. */
    public static State counted(State state, String tier, long rewardedUpTo) {
        return new State(state.spend, state.eventPoints, state.lastEarnedAt, tier, Math.max(state.rewardedUpTo, rewardedUpTo), state.period);
    }

    /** The rank of a tier (higher is better); -1 for none. */
    public int rank(String tier) {
        for (int i = 0; i < tiers.size(); i++) if (tiers.get(i).name.equals(tier)) return i;
        return -1;
    }
}
