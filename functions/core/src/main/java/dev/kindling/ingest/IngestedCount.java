package dev.kindling.ingest;

import java.time.LocalDate;
import java.util.Map;

/**
 * Where the count of stored events goes (the shop's daily {@code events}, which the cost report bills): added as each
 * event is published, right after it is stored, so an instance that stops loses none of it. A crash between the count
 * and the event's "published" mark counts it twice on redelivery, as its bus event goes twice: the same window, one event.
 */
@FunctionalInterface
public interface IngestedCount {
    /** No counting (tests of the ingest alone). */
    IngestedCount NONE = (shopId, byDay) -> {};

    void add(String shopId, Map<LocalDate, Long> eventsByDay);
}
