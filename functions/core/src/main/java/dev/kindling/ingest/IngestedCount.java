package dev.kindling.ingest;

import dev.kindling.event.CanonicalEvent;
import java.util.List;

/**
 * Where the events just stored are counted (the shop's daily {@code events}, which the cost report bills, and the counts
 * of events as they are that the reports show): added as each event is stored, before it is published, so an instance
 * that stops loses none of it. A delivery seen before is not counted again; a failure between the store and the count
 * (the count's own write failing) leaves that one event out.
 */
@FunctionalInterface
public interface IngestedCount {
    /** No counting (tests of the ingest alone). */
    IngestedCount NONE = (shopId, stored) -> {};

    /** @param stored the events a delivery (or an import's batch) stored */
    void add(String shopId, List<CanonicalEvent> stored);
}
