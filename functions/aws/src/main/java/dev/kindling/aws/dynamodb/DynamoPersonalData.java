package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Identity;
import dev.kindling.json.Gzip;
import dev.kindling.json.Json;
import dev.kindling.send.MessageRecord;
import dev.kindling.privacy.PersonalData;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link PersonalData} over the table. Complete by construction: every item in the person's own
 * partitions (the surviving profile's and each merged one's) is found by querying the partition, so
 * an item type added there later is exported and erased without a change here; such an item's sort key
 * must still be given a type in {@link #TYPES}, or the export lists it as {@code unclassified} (a test
 * fails on that). Outside those partitions the person's items are reached from what the partitions
 * hold: identities from the profile and the events, member items from the segments item, suppression
 * entries from the address, delivery markers from the events.
 */
public final class DynamoPersonalData implements PersonalData {
    /** Sort key prefixes in a contact's partition, and what each holds. */
    static final Map<String, String> TYPES = orderedTypes();

    private static Map<String, String> orderedTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        types.put("P", "profile");
        types.put("E#", "events");
        types.put(DynamoScoreStore.SK, "scores");
        types.put(DynamoScoreStore.SUMMARY_SK, "scoreSummary");
        types.put(DynamoMembershipStore.SK, "segments");
        types.put(DynamoContactStore.LEDGER_PREFIX, "consentLedger");
        types.put(DynamoMessageStore.MESSAGE_PREFIX, "messages");
        types.put(DynamoMessageStore.LEDGER_SK, "sendLedger");
        types.put(DynamoMessageStore.BODY_PREFIX, "messageBodies");
        types.put("JRN#", "journeyEntries");
        types.put(DynamoJourneyEntries.EXECUTION_PREFIX, "journeyExecutions");
        // what the reports remember of the person: the emails they opened or clicked lately, their recent orders' credits, holdout groups
        types.put(DynamoReportStore.LEDGER_SK, "reportLedger");
        // the unique coupon codes they were given (the code's own items are reached from these)
        types.put(DynamoCouponCodes.HELD, "coupons");
        return Collections.unmodifiableMap(types);
    }

    private final MeteredTable table;
    private final DynamoSuppressions suppressions;
    private final Clock clock;

    public DynamoPersonalData(MeteredTable table, Clock clock) {
        this.table = table;
        this.suppressions = new DynamoSuppressions(table);
        this.clock = clock;
    }

    /** What was found: each item's key by type (to erase) and its content by type (to export). */
    private record Found(String contactId, List<String> profileIds, Map<String, List<Map<String, AttributeValue>>> keys, ObjectNode items,
                         List<Execution> executions, Set<String> emails, Set<String> numbers, Set<String> deliveries) {}

    @Override
    public Optional<Holdings> find(String shopId, String contactId) {
        return collect(shopId, contactId).map(f -> new Holdings(f.contactId(), f.profileIds(), f.items(), f.executions(), List.copyOf(f.numbers())));
    }

    private Optional<Found> collect(String shopId, String contactId) {
        String survivor = survivor(shopId, contactId);
        if (survivor == null) return Optional.empty();
        List<String> ids = new ArrayList<>();
        ids.add(survivor);
        Map<String, List<Map<String, AttributeValue>>> keys = new LinkedHashMap<>();
        ObjectNode items = Json.object();
        Set<Identity> identities = new LinkedHashSet<>();
        Set<String> emails = new LinkedHashSet<>();
        Set<String> numbers = new LinkedHashSet<>(); // the person's phone numbers texted, E.164
        Set<String> links = new LinkedHashSet<>(); // the codes of the short links their texts carried
        Set<String> couponCodes = new LinkedHashSet<>(); // the unique coupon codes they were given
        Set<String> deliveries = new LinkedHashSet<>();
        Set<String> segments = new LinkedHashSet<>();
        List<Execution> executions = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            for (Map<String, AttributeValue> item : partition(KindlingTable.contactPk(shopId, id))) {
                String sk = item.get(KindlingTable.SK).s();
                String type = typeOf(sk);
                add(keys, items, type, item);
                switch (type) {
                    case "profile" -> {
                        JsonNode profile = Json.read(GzippedJson.text(item, DynamoContactStore.PROFILE), JsonNode.class);
                        profile.path("mergedFrom").forEach(m -> { if (!ids.contains(m.asText())) ids.add(m.asText()); });
                        if (profile.hasNonNull("userId")) identities.add(Identity.user(profile.get("userId").asText()));
                        if (profile.hasNonNull("email")) {
                            identities.add(Identity.email(profile.get("email").asText()));
                            emails.add(profile.get("email").asText());
                        }
                        profile.path("anonymousIds").forEach(a -> identities.add(Identity.anonymous(a.asText())));
                        String phone = profile.path("traits").path("phone").asText("");
                        if (phone.startsWith("+")) numbers.add(phone);
                    }
                    case "messages" -> {
                        JsonNode message = Json.read(item.get("record").s(), JsonNode.class);
                        if (MessageRecord.SMS.equals(message.path("channel").asText()) && message.hasNonNull("to")) numbers.add(message.get("to").asText());
                        message.path("links").forEach(code -> links.add(code.asText()));
                    }
                    case "events" -> {
                        JsonNode event = Json.read(item.get("event").s(), JsonNode.class);
                        if (event.hasNonNull("userId")) identities.add(Identity.user(event.get("userId").asText()));
                        if (event.hasNonNull("email") && Identity.looksLikeEmail(event.get("email").asText())) identities.add(Identity.email(event.get("email").asText()));
                        if (event.hasNonNull("anonymousId")) identities.add(Identity.anonymous(event.get("anonymousId").asText()));
                        if (event.hasNonNull("previousId")) {
                            identities.add(Identity.user(event.get("previousId").asText()));
                            identities.add(Identity.anonymous(event.get("previousId").asText()));
                        }
                        if (item.containsKey("delivery")) deliveries.add(item.get("delivery").s());
                    }
                    case "segments" -> Json.read(ContactStateItems.stateJson(item), JsonNode.class).fieldNames().forEachRemaining(segments::add);
                    case "coupons" -> couponCodes.add(sk.substring(DynamoCouponCodes.HELD.length()));
                    case "journeyExecutions" -> execution(sk).ifPresent(executions::add);
                    default -> { }
                }
            }
        }
        // outside the person's partitions: what points at them
        for (Map<String, AttributeValue> item : batchGet(identities.stream().map(idn -> key(KindlingTable.identityPk(shopId, idn.key()), "I")).toList())) {
            if (ids.contains(item.get("contactId").s())) add(keys, items, "identities", item);
        }
        List<Map<String, AttributeValue>> memberKeys = new ArrayList<>();
        for (String segment : segments) {
            for (String id : ids) memberKeys.add(key(KindlingTable.memberPk(shopId, segment, KindlingTable.shard(id)), id));
        }
        batchGet(memberKeys).forEach(item -> add(keys, items, "segmentMembers", item));
        List<Map<String, AttributeValue>> suppressionKeys = new ArrayList<>();
        emails.forEach(e -> suppressionKeys.addAll(DynamoSuppressions.keysOf(shopId, e)));
        numbers.forEach(n -> suppressionKeys.addAll(DynamoSuppressions.keysOf(shopId, n))); // a STOP is kept by number
        batchGet(suppressionKeys).forEach(item -> add(keys, items, "suppression", item));
        for (Map<String, AttributeValue> item : batchGet(numbers.stream().map(n -> key(DynamoTextedNumbers.pk(shopId), n)).toList())) {
            if (ids.contains(item.get("contactId").s())) add(keys, items, "textedNumbers", item);
        }
        for (Map<String, AttributeValue> item : batchGet(links.stream().map(c -> key(DynamoShortLinks.pk(shopId, c), DynamoShortLinks.SK)).toList())) {
            if (ids.contains(item.get("contactId").s())) add(keys, items, "textLinks", item);
        }
        List<Map<String, AttributeValue>> givenKeys = new ArrayList<>();
        for (Map<String, AttributeValue> item : batchGet(couponCodes.stream().map(c -> key(DynamoCouponCodes.codePk(shopId, c), "C")).toList())) {
            if (!item.containsKey("contactId") || !ids.contains(item.get("contactId").s())) continue;
            add(keys, items, "couponCodes", item);
            if (item.containsKey("key")) givenKeys.add(key(DynamoCouponCodes.keyPk(shopId, item.get("couponId").s(), item.get("key").s()), "G"));
        }
        batchGet(givenKeys).forEach(item -> add(keys, items, "couponGives", item));
        for (Map<String, AttributeValue> item : batchGet(deliveries.stream().map(d -> key(KindlingTable.deliveryPk(shopId, d), "D")).toList())) {
            if (item.containsKey("contactId") && ids.contains(item.get("contactId").s())) add(keys, items, "deliveries", item);
        }
        return Optional.of(new Found(survivor, List.copyOf(ids), keys, items, List.copyOf(executions), emails, numbers, deliveries));
    }

    @Override
    public Map<String, Integer> erase(String shopId, Holdings holdings, boolean suppressAddress) {
        Found found = collect(shopId, holdings.contactId()).orElse(null);
        Map<String, Integer> erased = new LinkedHashMap<>();
        if (found == null) return erased;
        List<WriteRequest> deletes = new ArrayList<>();
        found.keys().forEach((type, keys) -> {
            erased.put(type, keys.size());
            // a delivery marker stays (its key dedupes a redelivery), stripped of the person
            if (type.equals("deliveries")) return;
            keys.forEach(k -> deletes.add(MeteredTable.delete(k.get(KindlingTable.PK).s(), k.get(KindlingTable.SK).s())));
        });
        table.writeAll(deletes);
        for (Map<String, AttributeValue> marker : found.keys().getOrDefault("deliveries", List.of())) {
            table.update(b -> b.key(key(marker.get(KindlingTable.PK).s(), marker.get(KindlingTable.SK).s()))
                    .updateExpression("REMOVE contactId"));
        }
        if (suppressAddress) {
            found.emails().forEach(e -> suppressions.suppressErased(shopId, e, clock.instant()));
            found.numbers().forEach(n -> suppressions.suppressErased(shopId, n, clock.instant()));
        }
        return erased;
    }

    private static Optional<Execution> execution(String sk) {
        String rest = sk.substring(DynamoJourneyEntries.EXECUTION_PREFIX.length());
        int hash = rest.indexOf('#');
        return hash > 0 ? Optional.of(new Execution(rest.substring(0, hash), rest.substring(hash + 1))) : Optional.empty();
    }

    /** A shop's erasure reads the table in this many parallel-scan segments, one after the other. */
    static final int REDACT_SEGMENTS = 4;
    /** Items read per page: where the erasure got is written down after each. */
    static final int REDACT_PAGE = 1_000;
    static final String REDACT_SK = "REDACT";

    /**
     * One pass over the table's items of the shop (a parallel scan's segments in turn, filtered to the shop's partition
     * keys): each page's journey executions handed to {@code running}, then its items deleted, then the page's end
     * written to a cursor item of the shop's, so a call stopped by {@code stop}, a timeout or a crash goes on from the
     * last page it finished (a page done twice deletes nothing twice). The audit log stays: it holds no personal data
     * (subjects are salted hashes) and is the record the law asks the shop to keep, this erasure included.
     */
    @Override
    public ShopErasure eraseShop(String shopId, BooleanSupplier stop, Consumer<Execution> running) {
        String audit = KindlingTable.shopPk(shopId, "AUDIT");
        String cursorPk = KindlingTable.shopPk(shopId, REDACT_SK);
        ObjectNode cursor = Optional.ofNullable(table.get(cursorPk, REDACT_SK, true)).map(i -> Json.read(i.get("cursor").s(), ObjectNode.class))
                .orElseGet(Json::object);
        int erased = 0;
        for (int segment = 0; segment < REDACT_SEGMENTS; segment++) {
            JsonNode at = cursor.path(String.valueOf(segment));
            if (at.path("done").asBoolean(false)) continue;
            Map<String, AttributeValue> start = at.has("pk") ? key(at.get("pk").asText(), at.get("sk").asText()) : null;
            do {
                if (stop.getAsBoolean()) return new ShopErasure(erased, false);
                ScanResponse page = table.scanPage("S#" + shopId + "#", segment, REDACT_SEGMENTS, start, REDACT_PAGE);
                for (Map<String, AttributeValue> item : page.items()) {
                    String sk = item.get(KindlingTable.SK).s();
                    if (sk.startsWith(DynamoJourneyEntries.EXECUTION_PREFIX)) execution(sk).ifPresent(running);
                }
                List<WriteRequest> deletes = page.items().stream()
                        .filter(i -> !audit.equals(i.get(KindlingTable.PK).s()) && !cursorPk.equals(i.get(KindlingTable.PK).s()))
                        .map(i -> MeteredTable.delete(i.get(KindlingTable.PK).s(), i.get(KindlingTable.SK).s())).toList();
                table.writeAll(deletes);
                erased += deletes.size();
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                ObjectNode reached = cursor.putObject(String.valueOf(segment));
                if (start == null) reached.put("done", true);
                else reached.put("pk", start.get(KindlingTable.PK).s()).put("sk", start.get(KindlingTable.SK).s());
                table.put(Map.of(KindlingTable.PK, AttributeValue.fromS(cursorPk), KindlingTable.SK, AttributeValue.fromS(REDACT_SK),
                        "cursor", AttributeValue.fromS(Json.write(cursor))));
            } while (start != null);
        }
        table.writeAll(List.of(MeteredTable.delete(cursorPk, REDACT_SK)));
        return new ShopErasure(erased, true);
    }

    /** The profile that holds the person now: the contact's own, or the one it was merged into. */
    private String survivor(String shopId, String contactId) {
        String id = contactId;
        for (int hop = 0; hop < 5; hop++) {
            Map<String, AttributeValue> item = table.get(KindlingTable.contactPk(shopId, id), "P", true);
            if (item == null) return null;
            JsonNode profile = Json.read(GzippedJson.text(item, DynamoContactStore.PROFILE), JsonNode.class);
            if (!profile.hasNonNull("mergedInto")) return id;
            id = profile.get("mergedInto").asText();
        }
        return id;
    }

    static String typeOf(String sk) {
        for (var type : TYPES.entrySet()) {
            String prefix = type.getKey();
            if (prefix.endsWith("#") ? sk.startsWith(prefix) : sk.equals(prefix)) return type.getValue();
        }
        return "unclassified";
    }

    private static void add(Map<String, List<Map<String, AttributeValue>>> keys, ObjectNode items, String type, Map<String, AttributeValue> item) {
        keys.computeIfAbsent(type, t -> new ArrayList<>()).add(key(item.get(KindlingTable.PK).s(), item.get(KindlingTable.SK).s()));
        ArrayNode list = items.has(type) ? (ArrayNode) items.get(type) : items.putArray(type);
        list.add(json(item));
    }

    /** An item as JSON: JSON documents read as such (gzipped ones too), gzip bodies as their HTML, numbers as numbers. */
    static ObjectNode json(Map<String, AttributeValue> item) {
        ObjectNode out = Json.object();
        item.forEach((name, value) -> {
            if (name.equals(KindlingTable.PK) || name.startsWith("c") && (name.equals("cpk") || name.equals("csk"))) return;
            if (value.s() != null) {
                out.set(name, textOrJson(value.s()));
            } else if (value.n() != null) {
                out.put(name, new BigDecimal(value.n()));
            } else if (name.equals(DynamoMessageStore.DEFLATED)) {
                out.put("html", DynamoMessageStore.bodyOf(item));
            } else if (value.b() != null) {
                out.set(name, textOrJson(gunzip(value.b().asByteArray())));
            } else if (value.bool() != null) {
                out.put(name, value.bool());
            } else if (value.hasSs()) {
                out.set(name, Json.MAPPER.valueToTree(value.ss()));
            } else if (value.hasM()) {
                out.set(name, json(value.m()));
            } else if (value.hasL()) {
                out.set(name, Json.MAPPER.valueToTree(value.l().stream().map(v -> v.s() != null ? v.s() : v.n()).toList()));
            }
        });
        return out;
    }

    private static JsonNode textOrJson(String text) {
        return text.startsWith("{") || text.startsWith("[") ? Json.read(text, JsonNode.class) : Json.MAPPER.getNodeFactory().textNode(text);
    }

    private static String gunzip(byte[] bytes) {
        try {
            return Gzip.gunzip(bytes);
        } catch (IOException notGzip) {
            return Base64.getEncoder().encodeToString(bytes);
        }
    }

    private List<Map<String, AttributeValue>> partition(String pk) {
        return table.queryAll(b -> b.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk))).consistentRead(true),
                Integer.MAX_VALUE);
    }

    private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        List<Map<String, AttributeValue>> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
        for (int from = 0; from < distinct.size(); from += 100) {
            found.addAll(table.batchGet(KeysAndAttributes.builder().keys(distinct.subList(from, Math.min(distinct.size(), from + 100)))
                    .consistentRead(true).build()));
        }
        return found;
    }
}
