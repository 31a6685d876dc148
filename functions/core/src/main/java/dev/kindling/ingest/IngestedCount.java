package dev.kindling.ingest;

import java.time.LocalDate;
import java.util.Map;

/**
 * Where the count of stored events goes (the shop's daily {@code events}, which the cost report bills): added as each
 * event is stored, before it is published, so an instance that stops loses none of it. A delivery seen before is not
 * counted again; a failure between the store and the count (the count's own write failing) leaves that one event out.
 */
@FunctionalInterface
public interface IngestedCount {
    /** No counting (tests of the ingest alone). */
    IngestedCount NONE = (shopId, byDay) -> {};

    void add(String shopId, Map<LocalDate, Long> eventsByDay);
}
