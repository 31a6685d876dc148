package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.KindlingTable.EXPIRES_AT;
import static dev.kindling.aws.dynamodb.KindlingTable.PK;
import static dev.kindling.aws.dynamodb.KindlingTable.contactPk;
import static dev.kindling.aws.dynamodb.KindlingTable.deliveryPk;
import static dev.kindling.aws.dynamodb.KindlingTable.identityPk;
import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.contact.ConsentRecord;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactCommit;
import dev.kindling.contact.ContactCommit.IdentityClaim;
import dev.kindling.contact.ContactCommit.VersionedContact;
import dev.kindling.contact.ContactStore;
import dev.kindling.contact.Identity;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link ContactStore} over one DynamoDB table (layout in {@link KindlingTable}). A commit is one
 * TransactWriteItems: the delivery marker (must not exist), the event, each changed profile at its
 * expected version and each identity at its expected owner — all or nothing. A commit that changes no
 * profile and claims nothing is its marker and then its event, two single writes ({@link #commitEvent}); one that
 * only sees its person later writes the profile before those ({@link #seenOnly}).
 */
public final class DynamoContactStore implements ContactStore {
    private static final String PROFILE_SK = "P";
    /** The profile item's attribute holding the profile (gzipped JSON). */
    static final String PROFILE = "profile";
    private static final String IDENTITY_SK = "I";
    private static final String DELIVERY_SK = "D";
    static final String LEDGER_PREFIX = "L#";
    /** Fixed width, so the sort key orders by time. */
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final MeteredTable table;
    private final DynamoDbClient dynamo;
    private final CapacityMeter meter;
    private final Clock clock;
    private final Duration eventTtl;

    /**
     * @param eventTtl how long raw events (and the delivery markers that dedupe them) are kept
     */
    public DynamoContactStore(MeteredTable table, Clock clock, Duration eventTtl) {
        this.table = table;
        this.dynamo = table.client();
        this.meter = table.meter();
        this.clock = clock;
        this.eventTtl = eventTtl;
    }

    @Override
    public Map<Identity, String> lookup(String shopId, Collection<Identity> identities) {
        Map<String, Identity> byPk = new HashMap<>();
        identities.forEach(id -> byPk.put(identityPk(shopId, id.key()), id));
        Map<Identity, String> owners = new HashMap<>();
        List<Map<String, AttributeValue>> keys = byPk.keySet().stream().map(pk -> key(pk, IDENTITY_SK)).toList();
        for (int from = 0; from < keys.size(); from += 100) {
            Map<String, KeysAndAttributes> request = Map.of(table.name(), KeysAndAttributes.builder()
                    .keys(keys.subList(from, Math.min(keys.size(), from + 100))).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> batch = request;
                BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(batch)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                meter.record(CapacityMeter.Kind.READ, response.consumedCapacity());
                meter.bill(CapacityMeter.Kind.READ, batch.get(table.name()).keys().size() - response.unprocessedKeys().getOrDefault(table.name(), KeysAndAttributes.builder().build()).keys().size());
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table.name(), List.of())) {
                    owners.put(byPk.get(item.get(PK).s()), item.get("contactId").s());
                }
                request = response.unprocessedKeys();
            }
        }
        return owners;
    }

    @Override
    public Optional<Contact> get(String shopId, String contactId) {
        Map<String, AttributeValue> item = table.get(contactPk(shopId, contactId), PROFILE_SK, true);
        return item == null ? Optional.empty() : Optional.of(Json.read(GzippedJson.text(item, PROFILE), Contact.class));
    }

    @Override
    public CommitResult commit(ContactCommit commit) {
        if (onlyTheEvent(commit)) return commitEvent(commit);
        if (seenOnly(commit)) {
            // the profile first: a stop after it leaves the person seen later, and the replay, finding nothing more to
            // change, stores the marker and the event as above; a profile changed meanwhile is a conflict, resolved again
            if (!table.putIf(profilePut(commit.shopId(), commit.profiles().getFirst()))) return new CommitResult.Conflict("profile changed");
            return commitEvent(commit);
        }
        try {
            table.transact(writes(List.of(commit)));
            return new CommitResult.Committed();
        } catch (TransactionCanceledException cancelled) {
            List<CancellationReason> reasons = cancelled.cancellationReasons();
            CancellationReason first = reasons.isEmpty() ? null : reasons.getFirst();
            if (first != null && "ConditionalCheckFailed".equals(first.code()) && first.hasItem()) return duplicate(commit, first.item());
            return new CommitResult.Conflict(reasons.stream().map(CancellationReason::code).toList().toString());
        }
    }

    /** Whether a commit writes nothing but its marker and its event: no profile changed, no identity claimed, no consent recorded. */
    private static boolean onlyTheEvent(ContactCommit commit) {
        return commit.claims().isEmpty() && commit.consents().isEmpty() && commit.profiles().stream().allMatch(VersionedContact::unchanged);
    }

    /**
     * Whether a commit's one change beside its marker and event is its person seen later ({@link VersionedContact#seenOnly}):
     * three single writes then, billed once each, where one transaction billed all three twice.
     */
    private static boolean seenOnly(ContactCommit commit) {
        return commit.claims().isEmpty() && commit.consents().isEmpty() && commit.profiles().size() == 1 && commit.profiles().getFirst().seenOnly();
    }

    /**
     * The marker and the event as two single writes, billed once each where a transaction bills both twice (most events
     * are these: a known visitor's views). The marker goes first, so a replay stops at it; a stop between the two leaves
     * a marker without its event, and the replay that finds the marker writes the event then ({@link #duplicate}).
     */
    private CommitResult commitEvent(ContactCommit commit) {
        long expiresAt = clock.instant().plus(eventTtl).getEpochSecond();
        if (commit.keyedByItsEvent()) return commitKeyedEvent(commit, expiresAt);
        if (!table.putIf(Put.builder().item(marker(commit, expiresAt)).conditionExpression("attribute_not_exists(pk)"))) {
            Map<String, AttributeValue> seen = table.get(deliveryPk(commit.shopId(), commit.deliveryKey()), DELIVERY_SK, true);
            // gone since (its time ran out between the two requests): a conflict, and the retry stores the delivery
            return seen == null ? new CommitResult.Conflict("delivery marker expired") : duplicate(commit, seen);
        }
        // a call whose time was corrected (its device's clock was off): an earlier delivery of it may have come at the
        // time it states, without a marker (commitKeyedEvent)
        if (commit.statedAt() != null && storedAt(commit, commit.contactId(), commit.statedAt())) {
            return new CommitResult.Duplicate(commit.contactId(), commit.event().messageId());
        }
        table.put(eventItem(commit.shopId(), commit.contactId(), commit.deliveryKey(), commit.event(), expiresAt));
        return new CommitResult.Committed();
    }

    /**
     * An event stored under the key each of its deliveries gives it ({@link ContactCommit#keyedByItsEvent}): one
     * conditional put, which a redelivery finds taken, where a marker and the event were two writes (0.85 of the reference
     * month's 7.2 WRU an event). Before it, reads only: the marker of a delivery of it that came the other way (its time
     * corrected, or relayed by Segment after the library's own), and, for a call that may be a retry, the same key under
     * the profiles last merged into the person (a retry that comes after its person was merged resolves to the survivor,
     * where the first delivery went to the profile merged away).
     */
    private CommitResult commitKeyedEvent(ContactCommit commit, long expiresAt) {
        Map<String, AttributeValue> seen = table.get(deliveryPk(commit.shopId(), commit.deliveryKey()), DELIVERY_SK, true);
        if (seen != null) return duplicate(commit, seen);
        CanonicalEvent event = commit.event();
        Contact person = commit.profiles().getFirst().next();
        if (clock.instant().isAfter(event.timestamp().plus(FRESH))) {
            List<String> merged = person.mergedFrom() == null ? List.of() : person.mergedFrom();
            for (String mergedAway : merged.subList(Math.max(0, merged.size() - MERGED_LOOKED_AT), merged.size())) {
                if (storedAt(commit, mergedAway, event.timestamp())) return new CommitResult.Duplicate(commit.contactId(), event.messageId());
            }
        }
        if (!table.putIf(Put.builder().item(eventItem(commit.shopId(), commit.contactId(), null, event, expiresAt))
                .conditionExpression("attribute_not_exists(pk)"))) {
            return new CommitResult.Duplicate(commit.contactId(), event.messageId());
        }
        return new CommitResult.Committed();
    }

    /**
     * How long after the time it states a call is surely a first delivery: a library retries a call only after its first
     * try failed, and no merge comes between a call and its own retry sooner than that.
     */
    static final Duration FRESH = Duration.ofSeconds(5);
    /** The profiles merged into a person last, where a retry's first delivery could have gone. */
    static final int MERGED_LOOKED_AT = 3;

    /** Whether the event of this commit is stored under {@code contactId} at {@code at} (a strongly consistent read). */
    private boolean storedAt(ContactCommit commit, String contactId, Instant at) {
        return table.get(contactPk(commit.shopId(), contactId), eventSk(at, commit.event().messageId()), true) != null;
    }

    /**
     * A delivery stored before, from its marker. Its event is written now if the first attempt stopped between the marker
     * and the event ({@link #commitEvent}): under the person, time and message id the marker names, while that person's
     * profile exists (an erasure since leaves nothing to restore) and the replay is theirs (it goes to the same profile:
     * anyone else sending that delivery key, with content of their own, restores nothing into the person's history).
     */
    private CommitResult duplicate(ContactCommit commit, Map<String, AttributeValue> marker) {
        String contactId = text(marker, "contactId"), messageId = text(marker, "messageId"), at = text(marker, "at");
        String shop = commit.shopId();
        if (contactId != null && messageId != null && at != null) {
            Instant when = Instant.parse(at);
            if (table.get(contactPk(shop, contactId), eventSk(when, messageId), true) == null
                    && current(shop, contactId).filter(person -> person.contactId().equals(commit.contactId())).isPresent()) {
                CanonicalEvent event = commit.event().stored(messageId, when);
                table.put(eventItem(shop, contactId, commit.deliveryKey(), event, Long.parseLong(marker.get(EXPIRES_AT).n())));
            }
        }
        return new CommitResult.Duplicate(contactId, messageId);
    }

    /** One TransactWriteItems for the batch: a transaction bills two units an item, as one per commit would, in a twentieth of the requests. */
    @Override
    public CommitResult commitAll(List<ContactCommit> commits) {
        try {
            table.transact(writes(commits));
            return new CommitResult.Committed();
        } catch (TransactionCanceledException cancelled) {
            return new CommitResult.Conflict(cancelled.cancellationReasons().stream().map(CancellationReason::code).toList().toString());
        }
    }

    private static Map<String, AttributeValue> marker(ContactCommit commit, long expiresAt) {
        Map<String, AttributeValue> delivery = key(deliveryPk(commit.shopId(), commit.deliveryKey()), DELIVERY_SK);
        delivery.put("contactId", s(commit.contactId()));
        delivery.put("messageId", s(commit.event().messageId()));
        delivery.put("at", s(commit.event().timestamp().toString()));
        delivery.put(EXPIRES_AT, n(expiresAt));
        return delivery;
    }

    /**
     * The writes of the commits: per commit its delivery marker (which must not exist), its event and its consent entry;
     * each profile once, as the last commit leaves it, at the version the first one read; each identity claim once, at the
     * owner its first claim expected.
     */
    private List<TransactWriteItem> writes(List<ContactCommit> commits) {
        long expiresAt = clock.instant().plus(eventTtl).getEpochSecond();
        List<TransactWriteItem> writes = new ArrayList<>();
        Map<String, VersionedContact> profiles = new LinkedHashMap<>();
        Map<String, IdentityClaim> claims = new LinkedHashMap<>();
        for (ContactCommit commit : commits) {
            writes.addAll(commitWrites(commit, expiresAt));
            for (VersionedContact profile : commit.profiles()) {
                VersionedContact first = profiles.get(profile.next().contactId());
                profiles.put(profile.next().contactId(), first == null ? profile : new VersionedContact(profile.next(), first.expectedVersion()));
            }
            for (IdentityClaim claim : commit.claims()) claims.putIfAbsent(claim.identity().key(), claim);
        }
        String shop = commits.getFirst().shopId();
        for (VersionedContact profile : profiles.values()) {
            if (!profile.unchanged()) writes.add(put(profilePut(shop, profile)));
        }
        for (IdentityClaim claim : claims.values()) {
            Map<String, AttributeValue> item = key(identityPk(shop, claim.identity().key()), IDENTITY_SK);
            item.put("contactId", s(claim.contactId()));
            Put.Builder put = Put.builder().item(item);
            if (claim.previousContactId() == null) put.conditionExpression("attribute_not_exists(pk)");
            else put.conditionExpression("contactId = :prev").expressionAttributeValues(Map.of(":prev", s(claim.previousContactId())));
            writes.add(put(put));
        }
        return writes;
    }

    /** The put of a profile's next version, at the version it was read at. */
    private static Put.Builder profilePut(String shop, VersionedContact profile) {
        Contact next = profile.next();
        Map<String, AttributeValue> item = key(contactPk(shop, next.contactId()), PROFILE_SK);
        item.put("version", n(next.version()));
        item.put(PROFILE, GzippedJson.of(next));
        KindlingTable.indexContact(item, shop, next.contactId(), PROFILE_SK);
        return MeteredTable.atVersion(Put.builder().item(item), profile.expectedVersion());
    }

    /** A commit's own items: its delivery marker first (a duplicate is told by its condition), its event, its consent entry. */
    private List<TransactWriteItem> commitWrites(ContactCommit commit, long expiresAt) {
        String shop = commit.shopId();
        CanonicalEvent event = commit.event();
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(put(Put.builder().item(marker(commit, expiresAt)).conditionExpression("attribute_not_exists(pk)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));

        writes.add(put(Put.builder().item(eventItem(shop, commit.contactId(), commit.deliveryKey(), event, expiresAt))));

        // the ledger entry has no expiry: consent evidence is kept as long as the person's profile
        for (ConsentRecord record : commit.consents()) {
            Map<String, AttributeValue> item = key(contactPk(shop, commit.contactId()),
                    LEDGER_PREFIX + EVENT_TIME.format(record.at()) + "#" + record.purpose() + "#" + record.eventId());
            item.put("record", s(Json.write(record)));
            writes.add(put(Put.builder().item(item)));
        }
        return writes;
    }

    private static Map<String, AttributeValue> eventItem(String shop, String contactId, String deliveryKey, CanonicalEvent event, long expiresAt) {
        Map<String, AttributeValue> item = key(contactPk(shop, contactId), eventSk(event));
        item.put("event", s(Json.write(event)));
        // the delivery that brought it: an erasure strips the person from that marker (and keeps the marker for dedupe);
        // none for an event keyed by itself, which has no marker
        if (deliveryKey != null) item.put("delivery", s(deliveryKey));
        item.put(EXPIRES_AT, n(expiresAt));
        return item;
    }

    @Override
    public boolean recordIgnored(String shopId, String deliveryKey, String reason) {
        Map<String, AttributeValue> item = key(deliveryPk(shopId, deliveryKey), DELIVERY_SK);
        item.put("ignored", s(reason));
        item.put(EXPIRES_AT, n(clock.instant().plus(eventTtl).getEpochSecond()));
        return table.putIf(Put.builder().item(item).conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public List<CanonicalEvent> recentEvents(String shopId, Collection<String> contactIds, Instant since, int limit) {
        List<CanonicalEvent> events = new ArrayList<>();
        // "E#" + a fixed-width time sorts by time; "E$" is the first key after every event
        String from = since == null ? "E#" : "E#" + EVENT_TIME.format(since);
        for (String contactId : contactIds) {
            QueryResponse response = table.query(b -> b
                    .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                    .expressionAttributeValues(Map.of(":pk", s(contactPk(shopId, contactId)), ":from", s(from), ":to", s("E$")))
                    .scanIndexForward(false).limit(limit));
            response.items().forEach(item -> events.add(Json.read(item.get("event").s(), CanonicalEvent.class)));
        }
        return events.stream().sorted(Comparator.comparing(CanonicalEvent::timestamp).reversed()).limit(limit).toList();
    }

    @Override
    public Optional<CanonicalEvent> event(String shopId, String contactId, Instant at, String messageId) {
        // strongly consistent: a journey's first turn may come a moment after the event was stored
        Map<String, AttributeValue> item = table.get(contactPk(shopId, contactId), eventSk(at, messageId), true);
        return Optional.ofNullable(item).map(i -> Json.read(i.get("event").s(), CanonicalEvent.class));
    }

    @Override
    public List<ConsentRecord> consentLedger(String shopId, Collection<String> contactIds) {
        List<ConsentRecord> records = new ArrayList<>();
        for (String contactId : contactIds) {
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = table.query(b -> {
                    b.keyConditionExpression("pk = :pk AND begins_with(sk, :l)")
                            .expressionAttributeValues(Map.of(":pk", s(contactPk(shopId, contactId)), ":l", s(LEDGER_PREFIX)));
                    if (from != null) b.exclusiveStartKey(from);
                });
                page.items().forEach(item -> records.add(Json.read(item.get("record").s(), ConsentRecord.class)));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        }
        records.sort(Comparator.comparing(ConsentRecord::at));
        return records;
    }

    /** Events sort by time within a profile; the message id keeps two events of one instant apart. */
    private static String eventSk(CanonicalEvent event) {
        return eventSk(event.timestamp(), event.messageId());
    }

    static String eventSk(Instant at, String messageId) {
        return "E#" + EVENT_TIME.format(at) + "#" + messageId;
    }

    private TransactWriteItem put(Put.Builder put) {
        return table.put(put);
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }
}
