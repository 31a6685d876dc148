package dev.kindling.campaign;

import dev.kindling.engagement.BestTime;
import dev.kindling.send.SendRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZoneId;
import java.util.List;

/**
 * A campaign as a shop writes it ({@link CampaignParser}): who gets it, what they get, when, and how the variants
 * compete. A campaign sends marketing email only, through the one send path (consent, topics, suppression, cap,
 * quiet hours, RFC 8058).
 *
 * @param coupon         the coupon each recipient gets a unique code of ({@code message.coupon}); null: none
 * @param channel        {@code email} or {@code sms} ({@code message.channel}): which kind of template every variant is
 * @param holdoutPercent members kept out of every run (stable per contact), so its lift can be measured
 * @param topic          the preference-centre topic; null: the template's
 * @param frequencyCap   whether the shop's frequency cap holds a member back (skipped for this run: a campaign sends no one late)
 * @param quietHours     whether the shop's quiet hours hold a member back (likewise); a campaign timed in each contact's zone
 *                       has chosen its hour
 */
public record Campaign(String id, String name, boolean enabled, Audience audience, List<Variant> variants, Schedule schedule,
                       int holdoutPercent, String topic, Test test, boolean frequencyCap, boolean quietHours, String channel, String coupon) {

    /** Each run goes to the members of {@code segments} (at the run's time) who are in none of {@code exclude}. */
    public record Audience(List<String> segments, List<String> exclude, DateTrait date) {}

    /**
     * A date trait the run compares with each contact's own date: {@code yearly} the month and day ({@code birthday}),
     * else the date; {@code daysBefore} days ahead ({@code expires_on}, 7: a week before it).
     */
    public record DateTrait(String trait, int daysBefore, boolean yearly) {}

    /**
     * @param weight    the share of the audience (or of the test slice) it goes to
     * @param variation what it changes of its template (a subject, a preheader, a sender name); null: nothing
     */
    public record Variant(String id, String template, int weight, SendRequest.Variation variation) {}

    /**
     * When runs happen. {@code expression} is what EventBridge Scheduler runs ({@code cron}, {@code rate}, {@code at});
     * null: only on demand ({@code POST …/run}). {@code contactZone}: the expression's times are each contact's own
     * (the birthday at 09:00 wherever they live): Scheduler then fires every hour and each run sends to those whose local
     * time the expression names.
     *
     * @param window   Scheduler's flexible time window (it may fire up to so long after the time, spreading the load); zero: off
     * @param until    no run after it (Scheduler's EndDate); null: none
     * @param bestTime each contact at their best hour of the stated day ({@link BestTime}), within these local hours; null:
     *                 at the stated time
     */
    public record Schedule(String expression, ZoneId zone, boolean contactZone, Duration window, Instant until, SendHours bestTime) {
        /** UTC by the IANA name Scheduler takes ({@code ZoneOffset.UTC} would be "Z", which it refuses). */
        public static final ZoneId UTC = ZoneId.of("UTC");
        public static final Schedule ON_DEMAND = new Schedule(null, UTC, false, Duration.ZERO, null, null);

        public boolean onDemand() {
            return expression == null;
        }

        /** What Scheduler runs: the expression in its zone, or every hour (UTC) for a campaign timed in each contact's zone. */
        public ScheduleExpression fired() {
            return contactZone ? ScheduleExpression.parse(HOURLY, UTC) : ScheduleExpression.parse(expression, zone);
        }

        public static final String HOURLY = "cron(0 * * * ? *)";

        /**
         * When Scheduler starts firing (its StartDate): a one-time time in each contact's zone fires hourly from 27 hours
         * before the last zone reaches it ({@link #until}), and at each contact's best time from the first hour of the
         * window in the first zone (UTC+14); null: from when the schedule is made.
         */
        public Instant start() {
            if (!contactZone || !expression.startsWith("at(")) return null;
            if (bestTime == null) return until.minus(Duration.ofHours(27));
            LocalDateTime at = ScheduleExpression.parse(expression, ZoneOffset.UTC).at();
            return at.toLocalDate().atTime(bestTime.from(), 0).atOffset(ZoneOffset.ofHours(14)).toInstant();
        }
    }

    /** Local hours of the day a campaign sent at each contact's best time may choose from: {@code from} up to {@code to}. */
    public record SendHours(int from, int to) {
        public static final SendHours DAYTIME = new SendHours(BestTime.FROM, BestTime.TO);
    }

    /**
     * An A/B/n test: {@code percent} of the audience gets the variants first; after {@code after} the variant best on
     * {@code metric} goes to the rest. Best means a probability to be best of at least {@code probability} with at
     * least {@code minPerVariant} recipients each ({@link WinnerChoice}); short of that the leader goes, and the
     * decision says it was not conclusive.
     */
    public record Test(int percent, Metric metric, Duration after, double probability, int minPerVariant) {}

    /**
     * What the test's variants are judged on: unique opens or unique clicks per recipient, or what pays: orders credited
     * to the variant (last touch) per recipient, or revenue credited per recipient ({@link WinnerChoice#decideByRevenue}).
     */
    public enum Metric { opens, clicks, conversions, revenue }
}
