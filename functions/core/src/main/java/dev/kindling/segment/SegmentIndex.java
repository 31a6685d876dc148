package dev.kindling.segment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A shop's segments, indexed by what they read. Given a change, it names the segments to evaluate
 * again — those reading the changed event, traits, commerce facts, scores or stage, and those that
 * depend on a segment that may flip — in an order where a segment comes after the segments it
 * references.
 */
public final class SegmentIndex {
    private final Map<String, SegmentDefinition> byId = new LinkedHashMap<>();
    private final Map<String, Dependencies> deps = new HashMap<>();
    private final Map<String, Set<String>> readers = new HashMap<>(); // key -> segment ids
    private final Map<String, Set<String>> dependents = new HashMap<>(); // segment id -> segments referencing it
    private final List<String> order;

    /** @throws IllegalArgumentException when a segment references an unknown segment or segments reference each other in a cycle */
    public SegmentIndex(List<SegmentDefinition> segments) {
        segments.forEach(s -> byId.put(s.id(), s));
        for (SegmentDefinition s : segments) {
            Dependencies d = s.dependencies();
            deps.put(s.id(), d);
            d.events().forEach(e -> add("event:" + e, s.id()));
            d.traits().forEach(t -> add("trait:" + t, s.id()));
            d.scores().forEach(g -> add("score:" + g, s.id()));
            if (d.commerce()) add("commerce", s.id());
            if (d.stage()) add("stage", s.id());
            for (String ref : d.segments()) {
                if (!byId.containsKey(ref)) throw new IllegalArgumentException("segment " + s.id() + " references unknown segment " + ref);
                dependents.computeIfAbsent(ref, k -> new LinkedHashSet<>()).add(s.id());
            }
        }
        order = topological();
    }

    public List<SegmentDefinition> all() {
        return order.stream().map(byId::get).toList();
    }

    public boolean contains(String segmentId) {
        return byId.containsKey(segmentId);
    }

    /** Whether a membership of {@code segmentId} that began at {@code since} still counts: the segment exists and is the one it began in. */
    public boolean holds(String segmentId, Instant since) {
        SegmentDefinition segment = byId.get(segmentId);
        return segment != null && segment.holds(since);
    }

    public int size() {
        return byId.size();
    }

    /** Segments the change can affect, referenced segments first. */
    public List<SegmentDefinition> affectedBy(ContactChange change) {
        Set<String> hit = new HashSet<>();
        if (change.event() != null) hit.addAll(readers.getOrDefault("event:" + change.event(), Set.of()));
        change.traits().forEach(t -> hit.addAll(readers.getOrDefault("trait:" + t, Set.of())));
        change.scores().forEach(g -> hit.addAll(readers.getOrDefault("score:" + g, Set.of())));
        if (change.commerce()) hit.addAll(readers.getOrDefault("commerce", Set.of()));
        if (change.stage()) hit.addAll(readers.getOrDefault("stage", Set.of()));
        return withDependents(hit);
    }

    /** Segments whose answer can change with time alone: the scheduled refresh evaluates these. */
    public List<SegmentDefinition> timeBased() {
        Set<String> hit = new HashSet<>();
        deps.forEach((id, d) -> { if (d.timeBased()) hit.add(id); });
        return withDependents(hit);
    }

    /** The given segments and every segment built on them, in order. */
    public List<SegmentDefinition> withDependents(List<SegmentDefinition> segments) {
        Set<String> hit = new HashSet<>();
        segments.forEach(s -> hit.add(s.id()));
        return withDependents(hit);
    }

    /** The segments named, and every segment built on them (a segment that may flip can flip those), in order. */
    private List<SegmentDefinition> withDependents(Set<String> hit) {
        List<String> frontier = new ArrayList<>(hit);
        while (!frontier.isEmpty()) {
            String id = frontier.removeLast();
            for (String dependent : dependents.getOrDefault(id, Set.of())) if (hit.add(dependent)) frontier.add(dependent);
        }
        return order.stream().filter(hit::contains).map(byId::get).toList();
    }

    /** How far back events must be read to evaluate these segments (null: none read). */
    public static Duration lookback(List<SegmentDefinition> segments) {
        Duration longest = null;
        for (SegmentDefinition s : segments) {
            Duration d = s.dependencies().lookback();
            if (d != null && (longest == null || d.compareTo(longest) > 0)) longest = d;
        }
        return longest;
    }

    private void add(String key, String id) {
        readers.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(id);
    }

    private List<String> topological() {
        List<String> sorted = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> visiting = new HashSet<>();
        for (String id : byId.keySet()) visit(id, sorted, done, visiting);
        return List.copyOf(sorted);
    }

    private void visit(String id, List<String> sorted, Set<String> done, Set<String> visiting) {
        if (done.contains(id)) return;
        if (!visiting.add(id)) throw new IllegalArgumentException("segments reference each other in a cycle through " + id);
        for (String ref : deps.get(id).segments()) visit(ref, sorted, done, visiting);
        visiting.remove(id);
        done.add(id);
        sorted.add(id);
    }
}
