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
    default boolean commit(String shopId, String contactId, long expectedVersion, Ledger next, List<Delta> deltas) {
        return commit(shopId, contactId, expectedVersion, next, deltas, List.of());
    }

    /**
     * As above, with counts of behaviour the ledger's write decides ({@code counted}: a session begun, a cart in it), which
     * ride on the ledger's write and reach the aggregates after it, a batch of ledgers at a time ({@link #addTogether}
     * from the table's stream): the ledger's version makes each decided once, and no transaction with the shop's day is
     * billed for it. Money (orders, revenue, credits, lift) goes in {@code deltas}.
     */
    boolean commit(String shopId, String contactId, long expectedVersion, Ledger next, List<Delta> deltas, List<Delta> counted);

    /** Adds to one aggregate outside any ledger (counts kept in memory and added in batches). */
    void add(String shopId, Delta delta);

    /**
     * Adds a batch's counts (the stored events', the ledgers' {@code counted}) all together or not at all, so a batch
     * tried again after a failure is not counted twice.
     *
     * @param byShop each shop's deltas (several of one group and day are summed)
     */
    void addTogether(Map<String, List<Delta>> byShop);

    /** A group's days from {@code from} to {@code to}, oldest first (days with nothing counted are absent). */
    List<Row> days(String shopId, String group, LocalDate from, LocalDate to);

    /** A group's running total (empty when nothing was counted). */
    Map<String, BigDecimal> total(String shopId, String group);
}
