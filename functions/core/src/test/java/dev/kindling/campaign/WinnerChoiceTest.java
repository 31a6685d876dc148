package dev.kindling.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WinnerChoiceTest {

    @Test
    void aClearWinnerIsConclusiveAndTheSameFiguresGiveTheSameDecision() {
        var arms = List.of(new WinnerChoice.Arm("a", 1000, 200), new WinnerChoice.Arm("b", 1000, 260));
        WinnerChoice.Decision d = WinnerChoice.decide(arms, 0.95, 500);
        assertThat(d.winner()).isEqualTo("b");
        assertThat(d.conclusive()).isTrue();
        // P(b > a) for Beta(261, 741) against Beta(201, 801): about 0.9994 (normal approximation: z = 3.2)
        assertThat(d.probabilities().get(1)).isGreaterThan(0.998);
        assertThat(WinnerChoice.decide(arms, 0.95, 500)).isEqualTo(d);
    }

    /**
     * A subject test where what is opened and what pays differ. Subject a ("Last chance: 20% off") went to 1,000 people:
     * 300 opened, 40 ordered, $2,000.00 credited, $2.00 a recipient. Subject b ("Our winter edit is here") went to
     * 1,000: 220 opened, 25 ordered, $3,750.00, $3.75 a recipient. By opens and by conversions a wins, and conclusively;
     * by revenue per recipient b wins, with a probability of 96.1% to be best (0.9608 with the fixed seed; a normal
     * approximation of the two posteriors, $2.00 ± 0.45 and $3.75 ± 1.06, gives about 94%), above the stated 95%.
     */
    @Test
    void aSubjectTestByRevenuePerRecipientPicksTheSubjectThatPaysNotTheOneMostOpened() {
        var opens = List.of(new WinnerChoice.Arm("a", 1000, 300), new WinnerChoice.Arm("b", 1000, 220));
        assertThat(WinnerChoice.decide(opens, 0.95, 500)).extracting(WinnerChoice.Decision::winner, WinnerChoice.Decision::conclusive)
                .containsExactly("a", true);
        var paid = List.of(new WinnerChoice.Arm("a", 1000, 40, 2000.00), new WinnerChoice.Arm("b", 1000, 25, 3750.00));
        assertThat(WinnerChoice.decide(paid, 0.95, 500).winner()).as("by conversions").isEqualTo("a");
        WinnerChoice.Decision byRevenue = WinnerChoice.decideByRevenue(paid, 0.95, 500);
        assertThat(byRevenue.winner()).isEqualTo("b");
        assertThat(byRevenue.conclusive()).isTrue();
        assertThat(byRevenue.reason()).isEqualTo("b is best by revenue per recipient with 96.1% probability");
        assertThat(byRevenue.probabilities()).containsExactly(0.0392, 0.9608);
        assertThat(paid.get(1).revenuePerRecipient()).isEqualTo(3.75);
        // the same figures with half the recipients each: too few for the stated 500, so the leader goes and it says so
        WinnerChoice.Decision few = WinnerChoice.decideByRevenue(List.of(new WinnerChoice.Arm("a", 400, 16, 800.00),
                new WinnerChoice.Arm("b", 400, 10, 1500.00)), 0.95, 500);
        assertThat(few.winner()).isEqualTo("b");
        assertThat(few.conclusive()).isFalse();
        assertThat(few.reason()).contains("too few recipients: 400");
    }

    @Test
    void closeFiguresOrTooFewRecipientsSendTheLeaderAndSaySo() {
        WinnerChoice.Decision close = WinnerChoice.decide(List.of(new WinnerChoice.Arm("a", 1000, 200), new WinnerChoice.Arm("b", 1000, 205)), 0.95, 500);
        assertThat(close.conclusive()).isFalse();
        assertThat(close.winner()).isEqualTo("b");
        assertThat(close.reason()).contains("no variant is best with 95% probability");
        assertThat(close.probabilities().get(0) + close.probabilities().get(1)).isCloseTo(1.0, within(1e-9));

        WinnerChoice.Decision few = WinnerChoice.decide(List.of(new WinnerChoice.Arm("a", 40, 2), new WinnerChoice.Arm("b", 40, 30)), 0.95, 500);
        assertThat(few.conclusive()).isFalse();
        assertThat(few.winner()).isEqualTo("b");
        assertThat(few.reason()).contains("too few recipients: 40");
    }

    @Test
    void equalArmsShareTheProbabilityAndTheDrawsAreBetaDistributed() {
        var three = WinnerChoice.probabilitiesToBeBest(List.of(new WinnerChoice.Arm("a", 500, 100), new WinnerChoice.Arm("b", 500, 100),
                new WinnerChoice.Arm("c", 500, 100)));
        for (double p : three) assertThat(p).isCloseTo(1.0 / 3, within(0.02));
        // the mean of Beta(3, 7) is 0.3
        var random = new SplittableRandom(1);
        double sum = 0;
        for (int i = 0; i < 50_000; i++) sum += WinnerChoice.beta(random, 3, 7);
        assertThat(sum / 50_000).isCloseTo(0.3, within(0.005));
    }
}
