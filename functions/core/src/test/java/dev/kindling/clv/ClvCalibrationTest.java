package dev.kindling.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lifetime-value model against customers drawn with known parameters (SyntheticCustomers). */
class ClvCalibrationTest {
    static final MbgNbd TRUE_FREQUENCY = new MbgNbd(0.6, 9, 1.8, 5);
    static final GammaGamma TRUE_VALUE = new GammaGamma(5, 3.5, 30);

    @Test
    void fittedOnFiveThousandCustomersItPredictsTheNextYearsOrdersAndSpendWithinAFewPercent() {
        List<SyntheticCustomers.Drawn> drawn = SyntheticCustomers.draw(TRUE_FREQUENCY, TRUE_VALUE, 5000, 52, 11);
        List<Customer> customers = drawn.stream().map(SyntheticCustomers.Drawn::calibration).toList();
        ClvModel model = ClvFit.fit(customers, Instant.EPOCH);

        double predictedOrders = 0, actualOrders = 0, predictedSpend = 0, actualSpend = 0;
        for (SyntheticCustomers.Drawn d : drawn) {
            ClvModel.Prediction p = model.predict(d.calibration());
            predictedOrders += p.expectedOrders();
            predictedSpend += p.predictedClv();
            actualOrders += d.holdoutOrders();
            actualSpend += d.holdoutSpend();
        }
        assertThat(predictedOrders / actualOrders).as("orders in the next year, predicted over actual").isCloseTo(1.0, within(0.08));
        assertThat(predictedSpend / actualSpend).as("spend in the next year, predicted over actual").isCloseTo(1.0, within(0.12));
        // the parameters themselves, within the fit's own uncertainty (3 standard errors on the log scale)
        assertThat(Math.log(model.frequency().r())).isCloseTo(Math.log(TRUE_FREQUENCY.r()), within(3 * Math.sqrt(model.frequencyCovariance()[0])));
        assertThat(Math.log(model.frequency().alpha())).isCloseTo(Math.log(TRUE_FREQUENCY.alpha()), within(3 * Math.sqrt(model.frequencyCovariance()[5])));
        assertThat(model.value().populationMean()).isCloseTo(TRUE_VALUE.populationMean(), within(0.1 * TRUE_VALUE.populationMean()));
    }

    @Test
    void customersWhoStoppedBuyingLongAgoAreLikelierGone() {
        ClvModel model = ClvFit.fit(List.of(), Instant.EPOCH);
        double recent = model.predict(new Customer(4, 50, 52, 5, 40)).probabilityActive();
        double lapsed = model.predict(new Customer(4, 10, 52, 5, 40)).probabilityActive();
        assertThat(recent).isGreaterThan(lapsed);
        assertThat(model.predict(new Customer(4, 50, 52, 5, 40)).predictedClv()).isGreaterThan(model.predict(new Customer(4, 10, 52, 5, 40)).predictedClv());
    }

    @Test
    void withAHandfulOfCustomersItLeansOnThePriorsAndItsIntervalIsWide() {
        List<Customer> few = SyntheticCustomers.draw(TRUE_FREQUENCY, TRUE_VALUE, 12, 52, 5).stream().map(SyntheticCustomers.Drawn::calibration).toList();
        List<Customer> many = SyntheticCustomers.draw(TRUE_FREQUENCY, TRUE_VALUE, 4000, 52, 5).stream().map(SyntheticCustomers.Drawn::calibration).toList();
        Customer someone = new Customer(2, 30, 40, 3, 35);
        ClvModel.Prediction fromFew = ClvFit.fit(few, Instant.EPOCH).predictWithInterval(someone);
        ClvModel.Prediction fromMany = ClvFit.fit(many, Instant.EPOCH).predictWithInterval(someone);
        assertThat(fromFew.clvLow()).isLessThanOrEqualTo(fromFew.predictedClv());
        assertThat(fromFew.clvHigh()).isGreaterThanOrEqualTo(fromFew.predictedClv());
        assertThat(fromFew.clvHigh() - fromFew.clvLow()).as("few customers: a wider interval").isGreaterThan(fromMany.clvHigh() - fromMany.clvLow());
        ClvModel none = ClvFit.fit(List.of(), Instant.EPOCH);
        assertThat(none.priorsOnly()).isTrue();
        assertThat(none.predict(someone).predictedClv()).isPositive();
    }
}
