package dev.kindling.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LiftTest {

    static Map<String, BigDecimal> sums(long nt, long ct, double revT, double rev2T, long nh, long ch, double revH, double rev2H) {
        return Map.of("treated_n", BigDecimal.valueOf(nt), "treated_conv", BigDecimal.valueOf(ct), "treated_rev", BigDecimal.valueOf(revT),
                "treated_rev2", BigDecimal.valueOf(rev2T), "holdout_n", BigDecimal.valueOf(nh), "holdout_conv", BigDecimal.valueOf(ch),
                "holdout_rev", BigDecimal.valueOf(revH), "holdout_rev2", BigDecimal.valueOf(rev2H));
    }

    @Test
    void theDifferenceOfTwoProportionsWithItsNormalInterval() {
        // 300 of 1000 against 100 of 1000: +0.20, standard error sqrt(.3*.7/1000 + .1*.9/1000) = 0.017321
        Lift lift = Lift.of(sums(1000, 300, 15000, 750000, 1000, 100, 5000, 250000));
        assertThat(lift.conversionLift().estimate()).isCloseTo(0.20, within(1e-12));
        assertThat(lift.conversionLift().high() - lift.conversionLift().estimate()).isCloseTo(1.959964 * 0.0173205, within(1e-5));
        assertThat(lift.conversionLift().positive()).isTrue();
        // revenue: every buyer 50.00, so per person 15.00 against 5.00
        assertThat(lift.revenuePerPersonLift().estimate()).isCloseTo(10.0, within(1e-9));
        assertThat(lift.incrementalRevenue().estimate()).isCloseTo(10000.0, within(1e-6));
    }

    @Test
    void withoutAHeldOutGroupThereIsNoInterval() {
        Lift lift = Lift.of(sums(100, 10, 500, 25000, 0, 0, 0, 0));
        assertThat(lift.conversionLift().low()).isNull();
        assertThat(lift.conversionLift().positive()).isFalse();
    }

    /** Coverage on simulated groups with a known lift: the 95% interval holds the true difference about 95 times in 100. */
    @Test
    void theIntervalCoversTheTrueLiftAboutNinetyFivePercentOfTheTime() {
        Random random = new Random(7);
        int covered = 0, trials = 2000;
        for (int trial = 0; trial < trials; trial++) {
            long nt = 800, nh = 200, ct = 0, ch = 0;
            for (int i = 0; i < nt; i++) if (random.nextDouble() < 0.15) ct++;
            for (int i = 0; i < nh; i++) if (random.nextDouble() < 0.05) ch++;
            Lift lift = Lift.of(sums(nt, ct, ct * 40.0, ct * 1600.0, nh, ch, ch * 40.0, ch * 1600.0));
            if (lift.conversionLift().low() <= 0.10 && 0.10 <= lift.conversionLift().high()) covered++;
        }
        assertThat((double) covered / trials).isBetween(0.93, 0.97);
    }
}
