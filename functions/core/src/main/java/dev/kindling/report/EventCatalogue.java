package dev.kindling.report;

import dev.kindling.event.CanonicalEvent;
import dev.kindling.report.ReportStore.Delta;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event names a shop has sent, with their property names, and its profile fields (traits): what the builders offer
 * when a marketer picks an event, a property or a field, so they choose from what the shop really sends. Kept as running
 * totals beside the reports' aggregates; each instance writes a name once in its life (at the reports' next flush), so
 * a shop whose names are known costs no write. Bounded: names of at most 64 characters, and each instance notes at most
 * 200 event names and 50 property names an event (or traits) per shop.
 */
public final class EventCatalogue {
    static final int MAX_NAME_CHARS = 64;
    static final int MAX_EVENTS = 200;
    static final int MAX_PROPERTIES = 50;
    /** Groups of the running totals: the event names, one per event for its properties, and the traits. */
    static final String EVENTS = "catalogue";
    static final String TRAITS = "catalogue-traits";
    /** Amounts are named with a prefix: a name such as "pk" must not meet the item's own attributes. */
    private static final String NAME = "n:";

    private final ReportStore store;
    /** What this instance has noted, per shop and group: never noted again. */
    private final Map<String, Set<String>> noted = new ConcurrentHashMap<>();
    /** Noted and not yet written, per shop and group. */
    private final Map<List<String>, Set<String>> unwritten = new ConcurrentHashMap<>();

    public EventCatalogue(ReportStore store) {
        this.store = store;
    }

    /** What a shop has sent: event names and profile fields (traits), sorted. */
    public record Names(List<String> events, List<String> traits) {}

    /** Notes an ingested event's name, its properties' names and its traits' names, in memory. */
    public void note(String shopId, CanonicalEvent event) {
        if (event.event() != null && note(shopId, EVENTS, event.event(), MAX_EVENTS) && event.properties() != null) {
            event.properties().fieldNames().forEachRemaining(p -> note(shopId, propertiesOf(event.event()), p, MAX_PROPERTIES));
        }
        if (event.traits() != null) event.traits().fieldNames().forEachRemaining(t -> note(shopId, TRAITS, t, MAX_PROPERTIES));
    }

    /** True when the name is noted (now or before). */
    private boolean note(String shopId, String group, String name, int max) {
        if (name.isBlank() || name.length() > MAX_NAME_CHARS) return false;
        Set<String> mine = noted.computeIfAbsent(shopId + "|" + group, k -> ConcurrentHashMap.newKeySet());
        if (mine.contains(name)) return true;
        if (mine.size() >= max) return false;
        mine.add(name);
        unwritten.computeIfAbsent(List.of(shopId, group), k -> ConcurrentHashMap.newKeySet()).add(name);
        return true;
    }

    /** Writes what was noted since the last flush: one addition per shop and group with new names. */
    void flush() {
        for (List<String> key : List.copyOf(unwritten.keySet())) {
            Set<String> names = unwritten.remove(key);
            if (names == null || names.isEmpty()) continue;
            Map<String, BigDecimal> amounts = new TreeMap<>();
            names.forEach(n -> amounts.put(NAME + n, BigDecimal.ONE));
            store.add(key.get(0), new Delta(key.get(1), null, amounts));
        }
    }

    /** The shop's event names and traits as written so far (two reads). */
    public Names names(String shopId) {
        return new Names(read(shopId, EVENTS), read(shopId, TRAITS));
    }

    /** The property names an event has come with (one read). */
    public List<String> properties(String shopId, String event) {
        return read(shopId, propertiesOf(event));
    }

    private List<String> read(String shopId, String group) {
        Set<String> names = new TreeSet<>();
        store.total(shopId, group).keySet().forEach(k -> { if (k.startsWith(NAME)) names.add(k.substring(NAME.length())); });
        return new ArrayList<>(names).subList(0, Math.min(names.size(), MAX_EVENTS));
    }

    private static String propertiesOf(String event) {
        return EVENTS + ":" + event;
    }
}
