package dev.kindling.bench;

import dev.kindling.engagement.BestTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Issue 31's figure for send-time optimisation: the open rate of a campaign sent at each contact's best time
 * ({@link BestTime}, the code the campaign runner calls) against the same campaign at a fixed hour, in a simulated shop
 * whose people have hours they read their mail at.
 *
 * <p>The model, stated: each person lives in one of four zones and reads their mail once a day at a preferred local
 * hour (a morning, lunch or evening reader), an hour off it on four days in ten; an email that arrives {@code g} hours
 * before their next read is opened with probability {@code engagement × exp(-g / 6)} (further down the inbox, less
 * likely), their engagement drawn from 0.2 to 0.6; an open happens at their read. History: a weekly newsletter at
 * 10:00 UTC on Mondays for {@code weeks} weeks, whose opens (by UTC hour) are what BestTime learns from, the person's own
 * and the shop's hour-of-week curve. Then a campaign on a Thursday: at 10:00 UTC, at 10:00 in each contact's zone, and
 * at each one's best time (08:00-21:00 local). Open rates are expectations under the model (no sampling noise in the
 * comparison); the history's opens are drawn from a fixed seed. New subscribers (no history of their own) are counted
 * apart: they get the shop's curve.
 *
 * <pre>bin/bench-send-time [people (20000)] [weeks of history (4)]</pre>
 */
public final class SendTimeBenchmark {
    static final ZoneId[] ZONES = {ZoneOffset.UTC, ZoneId.of("America/New_York"), ZoneId.of("Europe/Berlin"), ZoneId.of("Asia/Tokyo")};
    static final double[] ZONE_SHARES = {0.30, 0.30, 0.25, 0.15};
    static final double DECAY_HOURS = 6;
    static final LocalDate FIRST_MONDAY = LocalDate.parse("2026-11-02");
    static final LocalDate CAMPAIGN_DAY = LocalDate.parse("2026-12-10"); // a Thursday

    record Person(ZoneId zone, int preferred, double engagement, boolean newcomer) {}

    public static void main(String[] args) {
        int people = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int weeks = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        SplittableRandom random = new SplittableRandom(31);
        List<Person> all = new ArrayList<>();
        for (int i = 0; i < people; i++) all.add(person(random, i % 10 == 0));
        // history: the Monday newsletters at 10:00 UTC, to everyone but the newcomers
        List<List<Integer>> hours = new ArrayList<>();
        long[] shop = new long[168];
        long sent = 0;
        long opened = 0;
        for (Person p : all) {
            List<Integer> own = new ArrayList<>(Collections.nCopies(24, 0));
            if (!p.newcomer()) {
                for (int w = 0; w < weeks; w++) {
                    Instant at = FIRST_MONDAY.plusWeeks(w).atTime(10, 0).toInstant(ZoneOffset.UTC);
                    sent++;
                    Instant read = nextRead(p, at, random);
                    if (random.nextDouble() < openProbability(p, at, read)) {
                        opened++;
                        ZonedDateTime utc = read.atZone(ZoneOffset.UTC);
                        own.set(utc.getHour(), own.get(utc.getHour()) + 1);
                        shop[(utc.getDayOfWeek().getValue() - 1) * 24 + utc.getHour()]++;
                    }
                }
            }
            hours.add(own);
        }
        System.out.printf("## Send-time optimisation: %,d people, %d weeks of a Monday 10:00 UTC newsletter (%,d sent, %,d opened, %.1f%%)%n%n",
                people, weeks, sent, opened, 100.0 * opened / Math.max(1, sent));
        System.out.println("| campaign on Thursday " + CAMPAIGN_DAY + " | open rate, people with history | open rate, newcomers (no history of their own) | all |");
        System.out.println("|---|---|---|---|");
        double[] fixed = rates(all, p -> CAMPAIGN_DAY.atTime(10, 0).toInstant(ZoneOffset.UTC));
        double[] local = rates(all, p -> CAMPAIGN_DAY.atTime(10, 0).atZone(p.zone()).toInstant());
        double[] best = new double[3];
        {
            double[][] sums = new double[2][2];
            for (int i = 0; i < all.size(); i++) {
                Person p = all.get(i);
                int hour = BestTime.bestLocalHour(hours.get(i), shop, CAMPAIGN_DAY, p.zone(), BestTime.FROM, BestTime.TO, BestTime.FALLBACK);
                Instant at = CAMPAIGN_DAY.atTime(hour, 0).atZone(p.zone()).toInstant();
                int group = p.newcomer() ? 1 : 0;
                sums[group][0] += expectedOpen(p, at);
                sums[group][1]++;
            }
            best[0] = sums[0][0] / sums[0][1];
            best[1] = sums[1][0] / sums[1][1];
            best[2] = (sums[0][0] + sums[1][0]) / (sums[0][1] + sums[1][1]);
        }
        row("10:00 UTC (a fixed hour)", fixed);
        row("10:00 in each contact's zone", local);
        row("each contact's best time (BestTime)", best);
        System.out.printf("%nlift of best time over 10:00 UTC: %.2fx with history, %.2fx newcomers, %.2fx all; over 10:00 local: %.2fx all%n",
                best[0] / fixed[0], best[1] / fixed[1], best[2] / fixed[2], best[2] / local[2]);
    }

    interface SendTime {
        Instant of(Person p);
    }

    static double[] rates(List<Person> all, SendTime time) {
        double[][] sums = new double[2][2];
        for (Person p : all) {
            int group = p.newcomer() ? 1 : 0;
            sums[group][0] += expectedOpen(p, time.of(p));
            sums[group][1]++;
        }
        return new double[] {sums[0][0] / sums[0][1], sums[1][0] / sums[1][1], (sums[0][0] + sums[1][0]) / (sums[0][1] + sums[1][1])};
    }

    static void row(String name, double[] r) {
        System.out.printf("| %s | %.1f%% | %.1f%% | %.1f%% |%n", name, r[0] * 100, r[1] * 100, r[2] * 100);
    }

    static Person person(SplittableRandom random, boolean newcomer) {
        double z = random.nextDouble();
        ZoneId zone = ZONES[ZONES.length - 1];
        double acc = 0;
        for (int k = 0; k < ZONES.length; k++) {
            acc += ZONE_SHARES[k];
            if (z < acc) {
                zone = ZONES[k];
                break;
            }
        }
        double kind = random.nextDouble();
        double mean = kind < 0.35 ? 7.5 : kind < 0.60 ? 12.5 : 20;
        double spread = kind < 0.35 ? 1.0 : kind < 0.60 ? 0.8 : 1.2;
        int preferred = (int) Math.round(Math.max(0, Math.min(23, mean + spread * gaussian(random))));
        return new Person(zone, preferred, 0.2 + 0.4 * random.nextDouble(), newcomer);
    }

    /** The person's next read after {@code at}: their preferred hour, an hour off on four days in ten. */
    static Instant nextRead(Person p, Instant at, SplittableRandom random) {
        ZonedDateTime local = at.atZone(p.zone());
        int shift = random.nextDouble() < 0.4 ? (random.nextBoolean() ? 1 : -1) : 0;
        ZonedDateTime read = local.toLocalDate().atTime(Math.max(0, Math.min(23, p.preferred() + shift)), 0).atZone(p.zone());
        if (read.isBefore(local)) read = read.plusDays(1);
        return read.toInstant();
    }

    static double openProbability(Person p, Instant arrived, Instant read) {
        double gap = (read.getEpochSecond() - arrived.getEpochSecond()) / 3600.0;
        return p.engagement() * Math.exp(-gap / DECAY_HOURS);
    }

    /** The open probability of an email arriving at {@code at}, over the person's read being on time or an hour off. */
    static double expectedOpen(Person p, Instant at) {
        double sum = 0;
        double[][] reads = {{0, 0.6}, {1, 0.2}, {-1, 0.2}};
        for (double[] r : reads) {
            ZonedDateTime local = at.atZone(p.zone());
            ZonedDateTime read = local.toLocalDate().atTime((int) Math.max(0, Math.min(23, p.preferred() + r[0])), 0).atZone(p.zone());
            if (read.isBefore(local)) read = read.plusDays(1);
            sum += r[1] * openProbability(p, at, read.toInstant());
        }
        return sum;
    }

    static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
