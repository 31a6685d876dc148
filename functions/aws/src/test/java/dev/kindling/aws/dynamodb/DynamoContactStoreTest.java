package dev.kindling.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactCommit;
import dev.kindling.contact.ContactStore.CommitResult;
import dev.kindling.contact.Identity;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventPublisher;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.ingest.Ingestor;
import dev.kindling.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** The store against DynamoDB Local (embedded, telemetry off): transactions, conditions, TTL attributes, concurrency. */
class DynamoContactStoreTest {
    @RegisterExtension
    static final LocalTable db = new LocalTable();
    static DynamoContactStore store;
    static MeteredTable table;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

    final List<EventPublisher.PublishedEvent> published = new CopyOnWriteArrayList<>();
    final EventPublisher bus = events -> events.forEach(e -> published.add(Json.MAPPER.convertValue(e.detail(), EventPublisher.PublishedEvent.class)));

    @BeforeAll
    static void start() {
        table = db.table();
        store = new DynamoContactStore(table, CLOCK, Duration.ofDays(30));
    }

    /** A tracking call from the shop's backend (its server key): authority, so its identities join profiles. */
    static CanonicalEvent track(String messageId, String userId, String anonymousId, String email, Instant at) {
        return new CanonicalEvent(messageId, EventType.TRACK, "Product Viewed", userId, anonymousId, email, null,
                Json.object().put("product_id", "p1"), null, null, null, at, at, Source.SERVER, Map.of());
    }

    static String shop() {
        return "shop-" + System.nanoTime();
    }

    @Test
    void aDeliveryIsStoredOnceAndItsDuplicateIsPublishedAgain() {
        String shop = shop();
        Ingestor ingestor = new Ingestor(store, bus);
        CanonicalEvent event = track("m-1", null, "anon-1", null, CLOCK.instant());

        var first = ingestor.ingest(shop, "tracking:m-1", event);
        var second = ingestor.ingest(shop, "tracking:m-1", event);

        assertThat(first).isInstanceOf(Ingestor.Outcome.Accepted.class);
        assertThat(second).isEqualTo(new Ingestor.Outcome.Duplicate(first.contactId()));
        assertThat(store.recentEvents(shop, List.of(first.contactId()), 10)).hasSize(1);
        // nothing records whether the first reached the bus (a second write of every event): the repeat goes again, the same event
        assertThat(published).extracting(e -> e.event().messageId()).containsExactly("m-1", "m-1");
    }

    @Test
    void aDuplicateOfAnEventThatNeverReachedTheBusIsPublishedThen() {
        String shop = shop();
        CanonicalEvent event = track("m-1", null, "anon-1", null, CLOCK.instant());
        Ingestor failing = new Ingestor(store, e -> { throw new IllegalStateException("bus unavailable"); });
        Assertions.assertThatThrownBy(() -> failing.ingest(shop, "tracking:m-1", event))
                .hasMessageContaining("bus unavailable");

        assertThat(published).isEmpty();
        assertThat(new Ingestor(store, bus).ingest(shop, "tracking:m-1", event)).isInstanceOf(Ingestor.Outcome.Duplicate.class);
        assertThat(published).extracting(e -> e.event().messageId()).containsExactly("m-1");
        assertThat(store.recentEvents(shop, List.of(published.getFirst().contactId()), 10)).hasSize(1);
    }

    @Test
    void aReplayAfterAStopBetweenTheMarkerAndTheEventStoresTheEventAsFirstStamped() {
        String shop = shop();
        Ingestor ingestor = new Ingestor(store, bus);
        String id = ingestor.ingest(shop, "tracking:m-0", track("m-0", "u-1", null, null, CLOCK.instant())).contactId();
        Instant first = CLOCK.instant().plusSeconds(60);
        ingestor.ingest(shop, "tracking:m-1", track("m-1", "u-1", null, null, first));
        // the stop: an instance killed after the marker's write and before the event's leaves the marker alone. A real
        // engine cannot be stopped between two requests on cue, so the event the first attempt wrote is deleted instead.
        var event = MeteredTable.key(KindlingTable.contactPk(shop, id), DynamoContactStore.eventSk(first, "m-1"));
        assertThat(table.client().deleteItem(b -> b.tableName(table.name()).key(event).returnValues(ReturnValue.ALL_OLD)).hasAttributes()).isTrue();
        published.clear();

        // the sender stamps its retry anew (it gave no timestamp of its own): the event keeps the first one
        var replay = ingestor.ingest(shop, "tracking:m-1", track("m-1", "u-1", null, null, first.plusSeconds(30)));

        assertThat(replay).isEqualTo(new Ingestor.Outcome.Duplicate(id));
        assertThat(store.event(shop, id, first, "m-1")).isPresent();
        assertThat(store.recentEvents(shop, List.of(id), 10)).extracting(CanonicalEvent::timestamp).containsExactly(first, CLOCK.instant());
        assertThat(published).extracting(e -> e.event().messageId()).containsExactly("m-1");
    }

    /**
     * The attacker's side: a delivery key whose marker lost its event (a stop between the two) replayed by someone else,
     * with their own content. What the replay restores is the person's own event; another's replay restores nothing into
     * their history.
     */
    @Test
    void aReplayOfAnotherPersonsDeliveryKeyPutsNothingIntoTheirHistory() {
        String shop = shop();
        Ingestor ingestor = new Ingestor(store, bus);
        String victim = ingestor.ingest(shop, "tracking:v-0", track("v-0", "victim", null, null, CLOCK.instant())).contactId();
        ingestor.ingest(shop, "tracking:v-1", track("v-1", "victim", null, null, CLOCK.instant().plusSeconds(60)));
        // the stop (see the test above): the marker stands without its event
        table.client().deleteItem(b -> b.tableName(table.name())
                .key(MeteredTable.key(KindlingTable.contactPk(shop, victim), DynamoContactStore.eventSk(CLOCK.instant().plusSeconds(60), "v-1"))));

        var replay = ingestor.ingest(shop, "tracking:v-1", track("v-1", null, "attacker-device", null, CLOCK.instant().plusSeconds(90)));

        assertThat(replay).isInstanceOf(Ingestor.Outcome.Duplicate.class);
        assertThat(store.recentEvents(shop, List.of(victim), 10)).extracting(CanonicalEvent::messageId).containsExactly("v-0");
    }

    @Test
    void aStaleProfileVersionIsRefusedAndNothingOfTheCommitIsWritten() {
        String shop = shop();
        Ingestor ingestor = new Ingestor(store, bus);
        String id = ingestor.ingest(shop, "d-1", track("m-1", "u-1", null, null, CLOCK.instant())).contactId();
        Contact current = store.get(shop, id).orElseThrow();

        var stale = new ContactCommit(shop, "d-2", id, track("m-2", "u-1", null, null, CLOCK.instant()),
                List.of(new ContactCommit.VersionedContact(current.withVersion(9), current.version() - 1)),
                List.of(), null);
        assertThat(store.commit(stale)).isInstanceOf(CommitResult.Conflict.class);
        assertThat(store.recentEvents(shop, List.of(id), 10)).hasSize(1);
        assertThat(store.get(shop, id).orElseThrow().version()).isEqualTo(current.version());
        // the delivery marker was not written either: the same delivery can still go through
        assertThat(ingestor.ingest(shop, "d-2", track("m-2", "u-1", null, null, CLOCK.instant())))
                .isInstanceOf(Ingestor.Outcome.Accepted.class);
    }

    @Test
    void concurrentEventsForOneContactLoseNothing() throws Exception {
        String shop = shop();
        Ingestor ingestor = new Ingestor(store, bus);
        int threads = 8;
        int perThread = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    String id = thread + "-" + i;
                    // as a sender does: a delivery answered "retry" (the profile kept changing under it, which 8 threads on one
                    // profile can cause on a loaded machine) is sent again; nothing may be lost or stored twice either way
                    for (int attempt = 1; ; attempt++) {
                        try {
                            ingestor.ingest(shop, "tracking:" + id, track(id, "u-1", "device-" + thread, "same@example.com",
                                    CLOCK.instant().plusSeconds(i)));
                            break;
                        } catch (IllegalStateException busy) {
                            if (attempt >= 10 || !String.valueOf(busy.getMessage()).contains("the sender will retry")) throw busy;
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) f.get();
        pool.shutdown();

        String owner = store.lookup(shop, List.of(Identity.user("u-1"))).get(Identity.user("u-1"));
        Contact contact = store.current(shop, owner).orElseThrow();
        assertThat(contact.anonymousIds()).hasSize(threads);
        assertThat(store.recentEvents(shop, contact.historyIds(), 1000)).hasSize(threads * perThread);
        assertThat(published).hasSize(threads * perThread);
        assertThat(store.lookup(shop, List.of(Identity.email("same@example.com"))).values()).containsExactly(owner);
    }

    @Test
    void identifyMergesTheAnonymousProfileAndBothHistoriesShow() {
        String shop = shop();
        Ingestor ingestor = new Ingestor(store, bus);
        String anonymous = ingestor.ingest(shop, "d-1", track("m-1", null, "anon-7", null, CLOCK.instant())).contactId();
        String known = ingestor.ingest(shop, "d-2", track("m-2", "u-7", null, "seven@example.com", CLOCK.instant())).contactId();
        assertThat(anonymous).isNotEqualTo(known);

        String merged = ingestor.ingest(shop, "d-3", track("m-3", "u-7", "anon-7", null, CLOCK.instant().plusSeconds(5))).contactId();

        assertThat(merged).isEqualTo(known);
        Contact person = store.current(shop, anonymous).orElseThrow();
        assertThat(person.contactId()).isEqualTo(known);
        assertThat(store.recentEvents(shop, person.historyIds(), 10)).extracting(CanonicalEvent::messageId)
                .containsExactly("m-3", "m-2", "m-1");
        assertThat(store.lookup(shop, List.of(Identity.anonymous("anon-7"))).get(Identity.anonymous("anon-7"))).isEqualTo(known);
    }

    @Test
    void requestsAndTheCapacityDynamoDbReportsAreCounted() {
        String shop = shop();
        Ingestor ingestor = new Ingestor(store, bus);
        ingestor.ingest(shop, "d-1", track("m-1", "u-1", null, null, CLOCK.instant()));
        var before = table.meter().snapshot();
        ingestor.ingest(shop, "d-2", track("m-2", "u-1", null, null, CLOCK.instant().plusSeconds(60)));
        var used = table.meter().snapshot().minus(before);

        // a known contact the event only counts in: identity lookup + profile read, then the marker and the event
        assertThat(used.readRequests()).isEqualTo(2);
        assertThat(used.writeRequests()).isEqualTo(2);
        assertThat(used.readUnits()).isGreaterThan(0);
        assertThat(used.writeUnits()).isGreaterThan(0);
        // as AWS bills it: two strongly consistent reads; two single writes of small items, a unit each
        assertThat(used.billedReadUnits()).isEqualTo(2);
        assertThat(used.billedWriteUnits()).isEqualTo(2);

        // an hour later lastSeen moves: the profile too, and its copy in the contacts index; three single writes, a unit
        // each and one for the copy, where one transaction of the three billed 2 units each
        before = table.meter().snapshot();
        ingestor.ingest(shop, "d-3", track("m-3", "u-1", null, null, CLOCK.instant().plus(Contact.LAST_SEEN_PRECISION)));
        used = table.meter().snapshot().minus(before);
        assertThat(used.writeRequests()).isEqualTo(3);
        assertThat(used.billedWriteUnits()).isEqualTo(3 + 1);
    }

    /** The delivery marker of a tracking call, if one was written. */
    static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> marker(String shop, String messageId) {
        return table.get(KindlingTable.deliveryPk(shop, "tracking:" + messageId), "D", true);
    }

    /** A person whose first call (m-0, now) made their profile: the calls after it only count in it. */
    static String knownPerson(Ingestor ingestor, String shop) {
        return ingestor.ingest(shop, "tracking:m-0", track("m-0", "u-1", null, null, CLOCK.instant()), CLOCK.instant()).contactId();
    }

    @Test
    void aCallStoredAtTheTimeItStatesIsOneWriteAndItsRetryIsStoredOnce() {
        String shop = shop();
        Ingestor ingestor = new Ingestor(store, bus);
        String id = knownPerson(ingestor, shop);
        Instant stated = CLOCK.instant().plusSeconds(60);
        var before = table.meter().snapshot();
        var first = ingestor.ingest(shop, "tracking:m-1", track("m-1", "u-1", null, null, stated), stated);
        var used = table.meter().snapshot().minus(before);
        var retry = ingestor.ingest(shop, "tracking:m-1", track("m-1", "u-1", null, null, stated), stated);

        assertThat(first).isEqualTo(new Ingestor.Outcome.Accepted(id, true));
        assertThat(retry).isEqualTo(new Ingestor.Outcome.Duplicate(id));
        assertThat(store.recentEvents(shop, List.of(id), 10)).extracting(CanonicalEvent::messageId).containsExactly("m-1", "m-0");
        // the event alone, where it was a marker and the event; the marker's absence is read instead (with the identity and
        // the profile: three strongly consistent reads)
        assertThat(marker(shop, "m-1")).isNull();
        assertThat(used.writeRequests()).isEqualTo(1);
        assertThat(used.billedWriteUnits()).isEqualTo(1);
        assertThat(used.billedReadUnits()).isEqualTo(3);
    }

    @Test
    void aRetryWhoseClockWasCorrectedIsStoredOnceAfterTheFirstDeliveryAtItsStatedTime() {
        // the retry came through Segment's relay, seconds later: its time corrected, it goes the marker's way
        storedOnceAtTheFirstDeliverysTime(0, 4);
    }

    @Test
    void aRetryAtItsStatedTimeIsStoredOnceAfterTheFirstDeliveryHadItsClockCorrected() {
        storedOnceAtTheFirstDeliverysTime(4, 0);
    }

    /** A call stating a minute from now, delivered at its stated time plus {@code first} seconds, then plus {@code retry}. */
    private void storedOnceAtTheFirstDeliverysTime(int first, int retry) {
        String shop = shop();
        Ingestor ingestor = new Ingestor(store, bus);
        String id = knownPerson(ingestor, shop);
        Instant stated = CLOCK.instant().plusSeconds(60);
        ingestor.ingest(shop, "tracking:m-1", track("m-1", "u-1", null, null, stated.plusSeconds(first)), stated);
        assertThat(marker(shop, "m-1")).as("a marker where the time was corrected").matches(m -> (m != null) == (first != 0));

        var again = ingestor.ingest(shop, "tracking:m-1", track("m-1", "u-1", null, null, stated.plusSeconds(retry)), stated);

        assertThat(again).isEqualTo(new Ingestor.Outcome.Duplicate(id));
        assertThat(store.recentEvents(shop, List.of(id), 10)).extracting(CanonicalEvent::timestamp)
                .containsExactly(stated.plusSeconds(first), CLOCK.instant());
    }

    @Test
    void aRetryThatComesAfterItsPersonWasMergedIsStoredOnce() {
        String shop = shop();
        Ingestor ingestor = new Ingestor(store, bus);
        Instant stated = CLOCK.instant().minusSeconds(60);
        String visitor = ingestor.ingest(shop, "tracking:m-0", track("m-0", null, "anon-1", null, stated.minusSeconds(60)), stated.minusSeconds(60)).contactId();
        ingestor.ingest(shop, "tracking:m-1", track("m-1", null, "anon-1", null, stated), stated);
        String customer = ingestor.ingest(shop, "tracking:m-2", track("m-2", "u-1", null, null, stated), stated).contactId();
        // the visitor signs in: their profile is merged into the customer's
        ingestor.ingest(shop, "tracking:m-3", track("m-3", "u-1", "anon-1", null, stated.plusSeconds(10)), stated.plusSeconds(10));
        assertThat(store.current(shop, visitor).orElseThrow().contactId()).isEqualTo(customer);

        // the library retries m-1 (its first answer was lost): the device now resolves to the customer
        var retry = ingestor.ingest(shop, "tracking:m-1", track("m-1", null, "anon-1", null, stated), stated);

        assertThat(retry).isInstanceOf(Ingestor.Outcome.Duplicate.class);
        Contact person = store.current(shop, customer).orElseThrow();
        assertThat(store.recentEvents(shop, person.historyIds(), 10)).extracting(CanonicalEvent::messageId)
                .containsExactlyInAnyOrder("m-0", "m-1", "m-2", "m-3");
    }

    @Test
    void aReplayAfterAStopBetweenTheProfileAndTheMarkerStoresTheEventOnce() {
        String shop = shop();
        Ingestor ingestor = new Ingestor(store, bus);
        String id = ingestor.ingest(shop, "tracking:m-0", track("m-0", "u-1", null, null, CLOCK.instant())).contactId();
        Contact before = store.get(shop, id).orElseThrow();
        Instant later = CLOCK.instant().plus(Contact.LAST_SEEN_PRECISION);
        ingestor.ingest(shop, "tracking:m-1", track("m-1", "u-1", null, null, later));
        // the stop: an instance killed after the profile's write leaves the person seen later and no marker, no event. A
        // real engine cannot be stopped between two requests on cue, so the marker and the event are deleted instead.
        for (var key : List.of(MeteredTable.key(KindlingTable.deliveryPk(shop, "tracking:m-1"), "D"),
                MeteredTable.key(KindlingTable.contactPk(shop, id), DynamoContactStore.eventSk(later, "m-1")))) {
            assertThat(table.client().deleteItem(b -> b.tableName(table.name()).key(key).returnValues(ReturnValue.ALL_OLD)).hasAttributes()).isTrue();
        }
        Contact seen = store.get(shop, id).orElseThrow();
        assertThat(seen.version()).isEqualTo(before.version() + 1);
        assertThat(seen.lastSeen()).isEqualTo(later);

        var replay = ingestor.ingest(shop, "tracking:m-1", track("m-1", "u-1", null, null, later));

        assertThat(replay).isInstanceOf(Ingestor.Outcome.Accepted.class);
        assertThat(store.get(shop, id).orElseThrow()).as("nothing more to change: the profile as the first attempt left it").isEqualTo(seen);
        assertThat(store.recentEvents(shop, List.of(id), 10)).extracting(CanonicalEvent::messageId).containsExactly("m-1", "m-0");
        assertThat(ingestor.ingest(shop, "tracking:m-1", track("m-1", "u-1", null, null, later))).isEqualTo(new Ingestor.Outcome.Duplicate(id));
    }

    @Test
    void aCountOrATraitStillGoesInOneTransactionWithItsEvent() {
        String shop = shop();
        Ingestor ingestor = new Ingestor(store, bus);
        ingestor.ingest(shop, "d-1", track("m-1", "u-1", null, null, CLOCK.instant()));
        var before = table.meter().snapshot();
        // an hour later, and a new address: more than lastSeen moves, so the profile, the marker, the event and the claim of
        // the address are one transaction, all or nothing
        ingestor.ingest(shop, "d-2", track("m-2", "u-1", null, "one@example.com", CLOCK.instant().plus(Contact.LAST_SEEN_PRECISION)));
        var used = table.meter().snapshot().minus(before);
        assertThat(used.writeRequests()).isEqualTo(1);
    }

    @Test
    void anEventThatOnlyCountsLeavesTheProfileAsStoredAndOneThatSaysMoreRewritesIt() {
        String shop = shop();
        Ingestor ingestor = new Ingestor(store, bus);
        String id = ingestor.ingest(shop, "d-1", track("m-1", "u-1", "device-1", null, CLOCK.instant())).contactId();
        Contact first = store.get(shop, id).orElseThrow();

        ingestor.ingest(shop, "d-2", track("m-2", "u-1", "device-1", null, CLOCK.instant().plusSeconds(600)));
        assertThat(store.get(shop, id).orElseThrow()).as("a view within the hour, nothing new").isEqualTo(first);

        ingestor.ingest(shop, "d-3", track("m-3", "u-1", "device-2", null, CLOCK.instant().plusSeconds(900)));
        Contact second = store.get(shop, id).orElseThrow();
        assertThat(second.version()).isEqualTo(first.version() + 1);
        assertThat(second.anonymousIds()).containsExactly("device-1", "device-2");
        assertThat(second.lastSeen()).as("moved with the change that was written").isEqualTo(CLOCK.instant().plusSeconds(900));

        ingestor.ingest(shop, "d-4", track("m-4", "u-1", "device-2", null, CLOCK.instant().plusSeconds(900).plus(Contact.LAST_SEEN_PRECISION)));
        assertThat(store.get(shop, id).orElseThrow().lastSeen()).isEqualTo(CLOCK.instant().plusSeconds(900).plus(Contact.LAST_SEEN_PRECISION));
        assertThat(store.recentEvents(shop, List.of(id), 10)).hasSize(4);
    }

    /** The profile is kept gzipped (written with events, read by the hourly scan of every contact by size); one stored before as text still reads. */
    @Test
    void aProfileIsStoredGzippedAndOneStoredBeforeAsTextStillReads() {
        String shop = shop();
        Ingestor ingestor = new Ingestor(store, bus);
        String id = ingestor.ingest(shop, "d-1", track("m-1", "u-1", "device-1", "one@example.com", CLOCK.instant())).contactId();
        var key = MeteredTable.key(KindlingTable.contactPk(shop, id), "P");
        var stored = table.client().getItem(b -> b.tableName(table.name()).key(key)).item();
        Contact contact = store.get(shop, id).orElseThrow();
        String json = Json.write(contact);
        assertThat(stored.get(DynamoContactStore.PROFILE).b()).as("binary, gzipped").isNotNull();
        assertThat(stored.get(DynamoContactStore.PROFILE).b().asByteArray().length).isLessThan(json.length());

        var before = new java.util.HashMap<>(stored);
        before.put(DynamoContactStore.PROFILE, software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(json));
        table.client().putItem(b -> b.tableName(table.name()).item(before));
        assertThat(store.get(shop, id)).contains(contact);
    }
}
