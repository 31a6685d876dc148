package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.json.Gzip;
import dev.kindling.json.Json;
import dev.kindling.send.MessageRecord;
import dev.kindling.send.MessageStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link MessageStore} beside each contact's profile (see {@link KindlingTable}): one item per
 * message, the send ledger (a map of message id → time, so a release removes one entry), and the
 * rendered body kept {@value #BODY_DAYS} days for "view in browser".
 */
public final class DynamoMessageStore implements MessageStore {
    static final String MESSAGE_PREFIX = "MSG#";
    static final String LEDGER_SK = "SENDS";
    static final String BODY_PREFIX = "BODY#";
    static final String DEFLATED = "deflated", DICTIONARY = "dictionary";
    /** SES's Send event on a message (each event type's first time is {@code e_<type>}). */
    private static final String SEND_SEEN = "e_Send";
    /** When the message was claimed (epoch ms), on a claim only: an abandoned claim is settled only if it is still that one. */
    static final String CLAIMED_AT = "claimedAt";
    static final int BODY_DAYS = 90;
    /** The longest frequency-cap window; older entries leave the ledger. */
    static final Duration LEDGER_KEEPS = Duration.ofDays(30);

    private final MeteredTable table;

    public DynamoMessageStore(MeteredTable table) {
        this.table = table;
    }

    @Override
    public Optional<MessageRecord> get(String shopId, String contactId, String messageId) {
        return Optional.ofNullable(table.get(KindlingTable.contactPk(shopId, contactId), MESSAGE_PREFIX + messageId, true)).map(DynamoMessageStore::record);
    }

    @Override
    public List<MessageRecord> recent(String shopId, String contactId, int limit) {
        List<MessageRecord> all = new ArrayList<>();
        table.queryAll(b -> b.keyConditionExpression("pk = :pk AND begins_with(sk, :m)")
                .expressionAttributeValues(Map.of(":pk", s(KindlingTable.contactPk(shopId, contactId)), ":m", s(MESSAGE_PREFIX))), 1000)
                .forEach(item -> all.add(record(item)));
        return all.stream().sorted(Comparator.comparing((MessageRecord m) -> m.createdAt() == null ? Instant.EPOCH : m.createdAt()).reversed())
                .limit(limit).toList();
    }

    @Override
    public Prior prior(String shopId, String contactId, String messageId, boolean withLedger) {
        if (!withLedger) return new Prior(get(shopId, contactId, messageId), null);
        String pk = KindlingTable.contactPk(shopId, contactId);
        // both strongly consistent, as the gets were: billed as two gets, in one request
        Map<String, AttributeValue> message = null, ledger = null;
        for (Map<String, AttributeValue> item : table.batchGet(KeysAndAttributes.builder()
                .keys(key(pk, MESSAGE_PREFIX + messageId), key(pk, LEDGER_SK)).consistentRead(true).build())) {
            if (LEDGER_SK.equals(item.get(KindlingTable.SK).s())) ledger = item;
            else message = item;
        }
        return new Prior(Optional.ofNullable(message).map(DynamoMessageStore::record), ledgerOf(ledger));
    }

    /** The send ledger alone (tests look). */
    Ledger ledger(String shopId, String contactId) {
        return ledgerOf(table.get(KindlingTable.contactPk(shopId, contactId), LEDGER_SK, true));
    }

    private static Ledger ledgerOf(Map<String, AttributeValue> item) {
        if (item == null) return Ledger.EMPTY;
        Map<String, Instant> sends = new HashMap<>();
        item.getOrDefault("sends", AttributeValue.fromM(Map.of())).m().forEach((id, at) -> sends.put(id, Instant.ofEpochMilli(Long.parseLong(at.n()))));
        return new Ledger(Map.copyOf(sends), Long.parseLong(item.get("version").n()));
    }

    @Override
    public boolean record(MessageRecord outcome) {
        return table.putIf(messagePut(outcome));
    }

    /**
     * The body, then the ledger, then the message: three single writes, where one transaction of the ledger and the
     * message billed both twice. The ledger first, so no two sends slip under the cap together; a stop before the
     * message leaves the send's id in the ledger, which its retry (the same id) finds as its own and the cap counts
     * meanwhile: one send too few in the window, never one too many.
     */
    @Override
    public Claim claim(MessageRecord sending, Ledger ledger, Instant at, String html) {
        String pk = KindlingTable.contactPk(sending.shopId(), sending.contactId());
        // the body first, and only if none is kept for the message: a claim retried or refused (the message sent before)
        // leaves the body as first rendered; one a stop left without its claim expires with the others
        Map<String, AttributeValue> body = key(pk, BODY_PREFIX + sending.messageId());
        body.put(DEFLATED, AttributeValue.fromB(SdkBytes.fromByteArray(BodyDictionary.deflate(html.getBytes(StandardCharsets.UTF_8)))));
        body.put(DICTIONARY, s(BodyDictionary.VERSION));
        body.put(KindlingTable.EXPIRES_AT, n(at.plus(Duration.ofDays(BODY_DAYS)).getEpochSecond()));
        table.putIf(Put.builder().item(body).conditionExpression("attribute_not_exists(pk)"));
        if (ledger != null && !ledger.holds(sending.messageId()) && !table.putIf(ledgerPut(pk, ledger, sending.messageId(), at))) {
            return Claim.LEDGER_MOVED;
        }
        return table.putIf(messagePut(sending)) ? Claim.CLAIMED : Claim.TAKEN;
    }

    /** The ledger with the send added (and entries older than the longest cap dropped), at the version read. */
    private static Put.Builder ledgerPut(String pk, Ledger ledger, String messageId, Instant at) {
        Map<String, AttributeValue> sends = new HashMap<>();
        ledger.sends().forEach((id, t) -> {
            if (t.isAfter(at.minus(LEDGER_KEEPS))) sends.put(id, n(t.toEpochMilli()));
        });
        sends.put(Ledger.keyOf(messageId), n(at.toEpochMilli()));
        Map<String, AttributeValue> item = key(pk, LEDGER_SK);
        item.put("sends", AttributeValue.fromM(sends));
        item.put("version", n(ledger.version() + 1));
        return MeteredTable.atVersion(Put.builder().item(item), ledger.version());
    }

    @Override
    public boolean finish(MessageRecord outcome, boolean releaseLedger) {
        String pk = KindlingTable.contactPk(outcome.shopId(), outcome.contactId());
        // an update, not a put: SES's first events can arrive before this and must stay on the item
        Map<String, AttributeValue> before = table.update(b -> b.key(key(pk, MESSAGE_PREFIX + outcome.messageId()))
                .updateExpression("SET #s = :s, #r = :r REMOVE #c")
                .conditionExpression("#s = :sending")
                .expressionAttributeNames(Map.of("#s", "status", "#r", "record", "#c", COUNTED))
                .expressionAttributeValues(Map.of(":s", s(outcome.status().name()), ":r", s(Json.write(outcome.withEngagement(null))),
                        ":sending", s(MessageRecord.Status.sending.name())))
                .returnValues(ReturnValue.ALL_OLD));
        if (releaseLedger) release(pk, outcome.messageId());
        return before.containsKey(SEND_SEEN);
    }

    private void release(String pk, String messageId) {
        try {
            // its key, and its whole id in a ledger written before keys (one path, where they are the same: overlapping
            // paths are refused)
            String key = Ledger.keyOf(messageId);
            boolean whole = !key.equals(messageId);
            table.update(b -> b.key(key(pk, LEDGER_SK)).updateExpression(whole ? "REMOVE sends.#k, sends.#m" : "REMOVE sends.#k")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(whole ? Map.of("#k", key, "#m", messageId) : Map.of("#k", key)));
        } catch (ConditionalCheckFailedException noLedger) {
            // a person with no send ledger (transactional mail only so far) has nothing to release
        }
    }

    @Override
    public boolean settle(MessageRecord abandoned, MessageRecord outcome, boolean releaseLedger) {
        String pk = KindlingTable.contactPk(outcome.shopId(), outcome.contactId());
        try {
            // this claim and no later one: a reopened message another call claimed again since is not touched
            table.update(b -> b.key(key(pk, MESSAGE_PREFIX + outcome.messageId()))
                    .updateExpression("SET #s = :s, #r = :r REMOVE #c, #n")
                    .conditionExpression("#s = :sending AND (#c = :claimed OR attribute_not_exists(#c))")
                    .expressionAttributeNames(Map.of("#s", "status", "#r", "record", "#c", CLAIMED_AT, "#n", COUNTED))
                    .expressionAttributeValues(Map.of(":s", s(outcome.status().name()), ":r", s(Json.write(outcome.withEngagement(null))),
                            ":sending", s(MessageRecord.Status.sending.name()), ":claimed", n(abandoned.updatedAt().toEpochMilli()))));
        } catch (ConditionalCheckFailedException settledFirst) {
            return false;
        }
        if (releaseLedger) release(pk, outcome.messageId());
        return true;
    }

    @Override
    public Optional<String> body(String shopId, String contactId, String messageId) {
        Map<String, AttributeValue> item = table.get(KindlingTable.contactPk(shopId, contactId), BODY_PREFIX + messageId, false);
        return item == null ? Optional.empty() : Optional.of(bodyOf(item));
    }

    /**
     * The message item's attribute holding what its latest write counted ({@link MessageStore.Counted}, JSON): set by the
     * engagement it rides on and removed by every other update (a put replaces it), so the table's stream shows it on
     * that write's record alone, and EngagementFunction adds it once ({@link TableStream}).
     */
    static final String COUNTED = "counted";

    @Override
    public boolean engagement(String shopId, String contactId, String messageId, String eventId, String type, Instant at, Counted counted) {
        boolean send = type.equals("Send");
        Map<String, String> names = new HashMap<>(Map.of("#e", "e_" + type.replaceAll("[^A-Za-z]", ""), "#c", COUNTED));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":ids", AttributeValue.fromSs(List.of(eventId)), ":id", s(eventId),
                ":at", s(at.toString())));
        if (send) {
            names.put("#s", "status");
            values.put(":sending", s(MessageRecord.Status.sending.name()));
        }
        if (counted != null) values.put(":c", s(Json.write(counted)));
        String count = counted != null ? ", #c = :c" : " REMOVE #c";
        try {
            table.update(b -> b.key(key(KindlingTable.contactPk(shopId, contactId), MESSAGE_PREFIX + messageId))
                    .updateExpression("ADD events :ids SET #e = if_not_exists(#e, :at)" + count)
                    .conditionExpression("attribute_exists(pk) AND NOT contains(events, :id)" + (send ? " AND #s = :sending" : ""))
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException seenOrUnknown) {
            return false;
        }
    }

    /** A body item's HTML: deflated against its dictionary, or gzipped (a body kept before the dictionary). */
    static String bodyOf(Map<String, AttributeValue> item) {
        if (item.containsKey(DEFLATED)) {
            return new String(BodyDictionary.inflate(item.get(DEFLATED).b().asByteArray(), item.get(DICTIONARY).s()), StandardCharsets.UTF_8);
        }
        try {
            return Gzip.gunzip(item.get("html").b().asByteArray());
        } catch (IOException notGzip) {
            throw new IllegalStateException("a kept body is neither deflated nor gzip", notGzip);
        }
    }

    private static Put.Builder messagePut(MessageRecord record) {
        Map<String, AttributeValue> item = key(KindlingTable.contactPk(record.shopId(), record.contactId()), MESSAGE_PREFIX + record.messageId());
        item.put("status", s(record.status().name()));
        item.put("record", s(Json.write(record.withEngagement(null))));
        if (record.status() == MessageRecord.Status.sending) item.put(CLAIMED_AT, n(record.updatedAt().toEpochMilli()));
        return Put.builder().item(item).conditionExpression("attribute_not_exists(pk) OR #s = :deferred")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":deferred", s(MessageRecord.Status.deferred.name())));
    }

    private static MessageRecord record(Map<String, AttributeValue> item) {
        MessageRecord record = Json.read(item.get("record").s(), MessageRecord.class);
        Map<String, Instant> seen = new HashMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith("e_")) seen.put(name.substring(2), Instant.parse(value.s()));
        });
        return record.withEngagement(Map.copyOf(seen));
    }
}
