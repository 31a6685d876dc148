package dev.kindling.clv;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where each shop's fitted lifetime-value model is kept, with what its fit found. */
public interface ClvModels {
    /** The model with no customers: the priors alone. */
    ClvModel PRIORS = ClvFit.fit(List.of(), Instant.EPOCH);

    /**
     * A fitted model and what it says about the shop's customers at the fit.
     *
     * @param predictedRevenue expected spend of all customers in the next 12 months
     * @param activeCustomers  expected number still customers (the sum of the probabilities)
     * @param deciles          predicted 12-month spend at the 10th, 20th … 90th percentile of customers
     * @param fitMillis        how long the fit took
     */
    record Fitted(ClvModel model, double predictedRevenue, double activeCustomers, List<Double> deciles, long fitMillis) {}

    Optional<Fitted> get(String shopId);

    void save(String shopId, Fitted fitted);

    /** The shop's model for predictions (cached for minutes: it changes daily), or the priors before the first fit. */
    ClvModel current(String shopId);
}
