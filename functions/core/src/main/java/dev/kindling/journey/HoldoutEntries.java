package dev.kindling.journey;

import java.time.Instant;

/**
 * Where an entry into a journey with a holdout is counted: the reports' lift, which compares the treated with those
 * held out. The journey says who entered; the reports ({@code report.ReportCounting}) listen, so the journeys do not
 * depend on the reports.
 */
@FunctionalInterface
public interface HoldoutEntries {

    /** Someone entered {@code source} as treated or held out; their orders in the lift window then count for that group. */
    void entered(String shopId, String contactId, String source, boolean holdout, String entryId, Instant at);
}
