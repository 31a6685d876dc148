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
