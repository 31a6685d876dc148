package dev.kindling.engagement;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Each contact's best hour to get an email, from when they open and click: their own opens and clicks by hour of the
 * day, shrunk toward the shop's curve for that day of the week. The hour's score is {@code n_h + PRIOR × s_h}, where
 * {@code n_h} are the person's opens and clicks in that hour and {@code s_h} the shop's share of that weekday's in it:
 * the posterior mean of a multinomial with a Dirichlet prior of {@value #PRIOR} observations spread as the shop's
 * curve, up to a constant (the whole week's curve while that weekday's is thin). A person with no history gets the shop's best hour (so it serves from the first recipient);
 * a person with a few opens at one hour soon outweighs it. Hours are chosen within a window of the contact's local day.
 * Campaigns sent at each contact's best time and journeys' {@code wait: {until: best_time}} choose here.
 */
public final class BestTime {
    /**
     * How many opens or clicks the shop's curve weighs as against a person's own: two. A shop's curve spreads over the day
     * (its busiest hour rarely has a tenth of its opens), so one open of the person's at an hour already outweighs it,
     * while a person with none follows it; a young shop whose few opens crowd one hour pulls no harder than two opens.
     */
    static final double PRIOR = 2;

    /** The local hours a best time is chosen from when nothing narrower is stated: the working day and the evening. */
    public static final int FROM = 8;
    public static final int TO = 21;
    /** The hour for a person when nothing at all is known (no history of theirs or the shop's). */
    public static final int FALLBACK = 9;

    private BestTime() {}

    /**
     * The shop's share of a weekday's opens and clicks in one UTC hour; while that weekday has fewer than {@value
     * #WEEKDAY_MINIMUM} (a young shop, or one that mails on one day only), the share of the whole week's in that hour.
     */
    static double shopShare(long[] shopWeekUtc, int weekday, int hour) {
        long dayTotal = 0;
        for (int h = 0; h < 24; h++) dayTotal += shopWeekUtc[weekday * 24 + h];
        if (dayTotal >= WEEKDAY_MINIMUM) return (double) shopWeekUtc[weekday * 24 + hour] / dayTotal;
        long weekTotal = 0;
        long inHour = 0;
        for (int d = 0; d < 7; d++) {
            for (int h = 0; h < 24; h++) weekTotal += shopWeekUtc[d * 24 + h];
            inHour += shopWeekUtc[d * 24 + hour];
        }
        return weekTotal == 0 ? 0 : (double) inHour / weekTotal;
    }

    /** Opens and clicks a weekday needs before its own curve is used rather than the whole week's. */
    static final int WEEKDAY_MINIMUM = 100;

    /**
     * The contact's best local hour on {@code day} in {@code zone}, from {@code from} up to (not including) {@code to};
     * {@code fallback} when there is no signal at all (no history of the person's or the shop's).
     *
     * @param personalUtc the person's opens and clicks by UTC hour of the day (24)
     * @param shopWeekUtc the shop's by UTC hour of the week, Monday 00:00 first (168)
     */
    public static int bestLocalHour(List<Integer> personalUtc, long[] shopWeekUtc, LocalDate day, ZoneId zone, int from, int to, int fallback) {
        int best = Math.max(from, Math.min(to - 1, fallback));
        double bestScore = 0;
        for (int local = from; local < to; local++) {
            ZonedDateTime utc = day.atTime(local, 0).atZone(zone).withZoneSameInstant(ZoneOffset.UTC);
            double shopShare = shopShare(shopWeekUtc, utc.getDayOfWeek().getValue() - 1, utc.getHour());
            double score = personalUtc.get(utc.getHour()) + PRIOR * shopShare;
            if (score > bestScore) {
                bestScore = score;
                best = local;
            }
        }
        return best;
    }
}
