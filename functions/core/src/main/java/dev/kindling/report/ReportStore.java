package dev.kindling.report;

import dev.kindling.event.Stored;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Where the reports' daily aggregates and each person's {@link Ledger} live. A ledger and the
 * aggregate additions it caused are written together or not at all, so an event is counted once.
 */
public interface ReportStore {

    /**
     * Amounts to add to one aggregate.
     *
     * @param group what it counts: {@code shop}, {@code attr:<source>}, {@code lift:<source>}, {@code seg:<id>}, {@code stages}
     * @param day   the day it counts under; null for a running total (the stages' current counts)
     */
    record Delta(String group, LocalDate day, Map<String, BigDecimal> amounts) {}

    /** One aggregate as stored: the day (null for a running total) and its amounts. */
    record Row(LocalDate day, Map<String, BigDecimal> amounts) {}

    Stored<Ledger> ledger(String shopId, String contactId);

    /** The ledger at its next version and the deltas, atomically; false when the ledger changed since it was read. */
    boolean commit(String shopId, String contactId, long expectedVersion, Ledger next, List<Delta> deltas);

    /** Adds to one aggregate outside any ledger (counts kept in memory and added in batches). */
    void add(String shopId, Delta delta);

    /** A group's days from {@code from} to {@code to}, oldest first (days with nothing counted are absent). */
    List<Row> days(String shopId, String group, LocalDate from, LocalDate to);

    /** A group's running total (empty when nothing was counted). */
    Map<String, BigDecimal> total(String shopId, String group);
}
