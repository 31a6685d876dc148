package dev.kindling.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.contact.Contact;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws of the rule tree, and real-time (incremental) evaluation agreeing with evaluating everything. */
class ConditionPropertiesTest {
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    static final List<String> NAMES = List.of("Product Viewed", "Checkout Started", "Order Completed", "Email Opened");

    @Provide
    Arbitrary<List<CanonicalEvent>> histories() {
        Arbitrary<CanonicalEvent> one = Combinators.combine(Arbitraries.of(NAMES), Arbitraries.integers().between(0, 60 * 24 * 20),
                Arbitraries.integers().between(0, 300)).as((name, minutes, price) ->
                SegmentFixtures.event(name, T0.plus(Duration.ofMinutes(minutes)), Json.object().put("price", price)));
        return one.list().ofMaxSize(25).map(list -> list.stream().sorted(Comparator.comparing(CanonicalEvent::timestamp)).toList());
    }

    @Provide
    Arbitrary<Condition> conditions() {
        return Arbitraries.lazyOf(
                this::leaf, this::leaf, this::leaf,
                () -> conditions().list().ofMinSize(1).ofMaxSize(3).map(Condition.All::new),
                () -> conditions().list().ofMinSize(1).ofMaxSize(3).map(Condition.Any::new),
                () -> conditions().map(Condition.Not::new));
    }

    Arbitrary<Condition> leaf() {
        Arbitrary<Condition> event = Combinators.combine(Arbitraries.of(NAMES), Arbitraries.integers().between(0, 3),
                Arbitraries.of(0, 1, 24, 24 * 7), Arbitraries.of(true, false), Arbitraries.of("", "Checkout Started"),
                Arbitraries.integers().between(0, 300)).as((name, min, hours, performed, after, price) ->
                new Condition.Event(name, List.of(new Condition.PropertyFilter("price", Condition.Op.gte, Json.MAPPER.getNodeFactory().numberNode(price))),
                        min, null, hours == 0 ? Condition.Window.ALWAYS : new Condition.Window(Duration.ofHours(hours), null, null),
                        after.isEmpty() ? null : after, performed));
        Arbitrary<Condition> last = Combinators.combine(Arbitraries.of(NAMES), Arbitraries.of(1, 48, 24 * 10))
                .as((name, hours) -> new Condition.LastPerformed(name, Duration.ofHours(hours), null));
        Arbitrary<Condition> trait = Arbitraries.of("GB", "FR").map(c ->
                new Condition.Trait("country", Condition.Op.equals, Json.MAPPER.getNodeFactory().textNode(c)));
        Arbitrary<Condition> bucket = Arbitraries.integers().between(0, 99).map(b -> new Condition.Bucket("s", b, 100));
        return Arbitraries.oneOf(event, last, trait, bucket);
    }

    static boolean eval(Condition c, List<CanonicalEvent> history, Instant now) {
        return Evaluator.matches(c, SegmentFixtures.facts(SegmentFixtures.contact(null, null), history, now, Set.of()));
    }

    static Instant end(List<CanonicalEvent> history) {
        return history.isEmpty() ? T0 : history.getLast().timestamp().plus(Duration.ofMinutes(1));
    }

    /** The refresh reads only a condition's lookback of events: that must not change any answer. */
    @Property(tries = 1000)
    void readingOnlyTheLookbackGivesTheSameAnswer(@ForAll("conditions") Condition c, @ForAll("histories") List<CanonicalEvent> h,
                                                  @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 24 * 30) int hoursLater) {
        Instant now = end(h).plus(Duration.ofHours(hoursLater));
        Duration lookback = Dependencies.of(c).lookback();
        List<CanonicalEvent> read = lookback == null ? List.of() : h.stream().filter(e -> !e.timestamp().isBefore(now.minus(lookback))).toList();
        assertThat(eval(c, read, now)).as("lookback %s", lookback).isEqualTo(eval(c, h, now));
    }

    /** The shape whose lookback is narrowed: "X within W, and Y (not) performed after the last X". */
    @Property(tries = 1000)
    void anEventAfterARecentOneReadsOnlyTheRecentWindow(@ForAll("histories") List<CanonicalEvent> h,
                                                         @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 24 * 10) int windowHours,
                                                         @ForAll boolean performed, @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 48) int hoursLater) {
        Condition c = new Condition.All(List.of(
                new Condition.Event("Checkout Started", List.of(), 1, null, new Condition.Window(Duration.ofHours(windowHours), null, null), null, true),
                new Condition.Event("Order Completed", List.of(), 1, null, Condition.Window.ALWAYS, "Checkout Started", performed)));
        readingOnlyTheLookbackGivesTheSameAnswer(c, h, hoursLater);
    }

    @Property(tries = 300)
    void notIsAnInvolution(@ForAll("conditions") Condition c, @ForAll("histories") List<CanonicalEvent> h) {
        assertThat(eval(new Condition.Not(new Condition.Not(c)), h, end(h))).isEqualTo(eval(c, h, end(h)));
    }

    @Property(tries = 300)
    void deMorganHolds(@ForAll("conditions") Condition a, @ForAll("conditions") Condition b, @ForAll("histories") List<CanonicalEvent> h) {
        Instant now = end(h);
        assertThat(eval(new Condition.Not(new Condition.All(List.of(a, b))), h, now))
                .isEqualTo(eval(new Condition.Any(List.of(new Condition.Not(a), new Condition.Not(b))), h, now));
        assertThat(eval(new Condition.Not(new Condition.Any(List.of(a, b))), h, now))
                .isEqualTo(eval(new Condition.All(List.of(new Condition.Not(a), new Condition.Not(b))), h, now));
    }

    @Property(tries = 300)
    void andAndOrAreTheBooleanOnes(@ForAll("conditions") Condition a, @ForAll("conditions") Condition b, @ForAll("histories") List<CanonicalEvent> h) {
        Instant now = end(h);
        assertThat(eval(new Condition.All(List.of(a, b)), h, now)).isEqualTo(eval(a, h, now) && eval(b, h, now));
        assertThat(eval(new Condition.Any(List.of(a, b)), h, now)).isEqualTo(eval(a, h, now) || eval(b, h, now));
        assertThat(eval(new Condition.All(List.of(a, b)), h, now)).isEqualTo(eval(new Condition.All(List.of(b, a)), h, now));
    }

    /**
     * Real time: after each event only the segments the index names are evaluated again (plus the
     * time-based ones, as the scheduled refresh does); the memberships always equal evaluating every
     * segment from scratch.
     */
    @Property(tries = 200)
    void incrementalEvaluationEqualsFullEvaluation(@ForAll("conditions") Condition a, @ForAll("conditions") Condition b,
                                                   @ForAll("conditions") Condition c, @ForAll("histories") List<CanonicalEvent> h) {
        List<SegmentDefinition> segments = List.of(
                new SegmentDefinition("a", "a", a),
                new SegmentDefinition("b", "b", new Condition.Any(List.of(b, new Condition.InSegment("a")))),
                new SegmentDefinition("c", "c", new Condition.All(List.of(c, new Condition.Not(new Condition.InSegment("b"))))));
        SegmentIndex index = new SegmentIndex(segments);
        var contact = SegmentFixtures.contact(null, null);
        Set<String> members = new HashSet<>();
        List<CanonicalEvent> seen = new ArrayList<>();
        // start: everything evaluated once
        for (SegmentDefinition s : index.all()) update(s, contact, seen, T0, members);
        for (CanonicalEvent e : h) {
            seen.add(e);
            Instant now = e.timestamp();
            Set<String> touched = new HashSet<>();
            for (SegmentDefinition s : index.timeBased()) { update(s, contact, seen, now, members); touched.add(s.id()); }
            for (SegmentDefinition s : index.affectedBy(ContactChange.event(e.event()))) update(s, contact, seen, now, members);

            Set<String> full = new HashSet<>();
            for (SegmentDefinition s : index.all()) {
                if (Evaluator.matches(s.condition(), SegmentFixtures.facts(contact, seen, now, full))) full.add(s.id());
            }
            assertThat(members).as("after %s at %s", e.event(), now).isEqualTo(full);
        }
    }

    private static void update(SegmentDefinition s, Contact contact, List<CanonicalEvent> seen, Instant now, Set<String> members) {
        boolean in = Evaluator.matches(s.condition(), SegmentFixtures.facts(contact, seen, now, Set.copyOf(members)));
        if (in) members.add(s.id());
        else members.remove(s.id());
    }
}
