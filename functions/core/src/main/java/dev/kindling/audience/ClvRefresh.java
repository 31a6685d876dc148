package dev.kindling.audience;

import dev.kindling.clv.ClvFit;
import dev.kindling.clv.ClvModel;
import dev.kindling.clv.ClvModels;
import dev.kindling.clv.Customer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Fits each shop's lifetime-value model once a day, from every customer's purchase facts (a scan
 * of the profiles, never their events), and keeps it with a summary for the clv report.
 */
public final class ClvRefresh {
    /** A model younger than this is kept: the refresh may run hourly, the fit once a day. */
    static final Duration REFIT_AFTER = Duration.ofHours(20);

    private final ContactScan scan;
    private final ClvModels models;
    private final Clock clock;

    public ClvRefresh(ContactScan scan, ClvModels models, Clock clock) {
        this.scan = scan;
        this.models = models;
        this.clock = clock;
    }

    /** Fits the shop's model unless a recent one is kept (or {@code force}); returns what is kept now. */
    public ClvModels.Fitted refresh(String shopId, boolean force) {
        Instant now = clock.instant();
        var kept = models.get(shopId);
        if (!force && kept.isPresent() && kept.get().model().fittedAt().plus(REFIT_AFTER).isAfter(now)) return kept.get();
        List<Customer> customers = Collections.synchronizedList(new ArrayList<>());
        scan.scanAll(shopId, c -> {
            Customer customer = Customer.of(c.contact().commerce(), now);
            if (customer != null) customers.add(customer);
        });
        ClvModels.Fitted fitted = fit(customers, now);
        models.save(shopId, fitted);
        return fitted;
    }

    /** The fit and its summary over these customers. */
    public static ClvModels.Fitted fit(List<Customer> customers, Instant now) {
        long started = System.nanoTime();
        ClvModel model = ClvFit.fit(customers, now);
        long millis = (System.nanoTime() - started) / 1_000_000;
        double[] clv = new double[customers.size()];
        double revenue = 0, active = 0;
        for (int i = 0; i < clv.length; i++) {
            ClvModel.Prediction p = model.predict(customers.get(i));
            clv[i] = p.predictedClv();
            revenue += p.predictedClv();
            active += p.probabilityActive();
        }
        Arrays.sort(clv);
        List<Double> deciles = new ArrayList<>();
        for (int d = 1; d < 10 && clv.length > 0; d++) deciles.add(Math.round(clv[Math.min(clv.length - 1, d * clv.length / 10)] * 100) / 100.0);
        return new ClvModels.Fitted(model, revenue, active, deciles, millis);
    }
}
