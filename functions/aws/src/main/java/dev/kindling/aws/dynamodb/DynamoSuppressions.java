package dev.kindling.aws.dynamodb;

import dev.kindling.contact.Identity;
import dev.kindling.shop.Signatures;
import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.send.Suppressions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** {@link Suppressions} in one partition per shop, by address; soft bounces counted in items that expire after 30 days. */
public final class DynamoSuppressions implements Suppressions {
    private static final String PARTITION = "SUPPRESSED";
    private static final String SOFT_PREFIX = "SOFT#";
    private static final String ERASED_PREFIX = "HASH#";
    static final Duration SOFT_BOUNCE_WINDOW = Duration.ofDays(30);

    private final MeteredTable table;

    public DynamoSuppressions(MeteredTable table) {
        this.table = table;
    }

    /**
     * The address, or its erased form (an erased person's address stays suppressed only as its salted hash): both keys in
     * one request, as every send asks and most addresses are neither (billed as the two gets it replaces).
     */
    @Override
    public Optional<Suppression> get(String shopId, String email) {
        String erased = erasedKey(shopId, email);
        Suppression plain = null, hashed = null;
        for (Map<String, AttributeValue> item : table.batchGet(KeysAndAttributes.builder().keys(key(pk(shopId), email), key(pk(shopId), erased)).build())) {
            if (erased.equals(item.get(KindlingTable.SK).s())) hashed = new Suppression(email, item.get("reason").s(), "", Instant.parse(item.get("at").s()));
            else plain = of(item);
        }
        return Optional.ofNullable(plain != null ? plain : hashed);
    }

    /** The sort key an erased address is kept under: a salted hash, so the item holds no address. */
    static String erasedKey(String shopId, String email) {
        return ERASED_PREFIX + Signatures.sha256Hex("suppression:" + shopId + ":" + Identity.normaliseEmail(email));
    }

    /** Keeps an erased person's address suppressed as its salted hash only. */
    void suppressErased(String shopId, String email, Instant at) {
        Map<String, AttributeValue> item = key(pk(shopId), erasedKey(shopId, email));
        item.put("reason", s("erased"));
        item.put("at", s(at.toString()));
        table.putIf(Put.builder().item(item));
    }

    /** The keys of everything held about one address: its entry and its soft-bounce count. */
    static List<Map<String, AttributeValue>> keysOf(String shopId, String email) {
        return List.of(key(pk(shopId), email), key(pk(shopId), SOFT_PREFIX + email));
    }

    @Override
    public void suppress(String shopId, Suppression suppression) {
        Map<String, AttributeValue> item = key(pk(shopId), suppression.email());
        item.put("reason", s(suppression.reason()));
        item.put("detail", s(suppression.detail() == null ? "" : suppression.detail()));
        item.put("at", s(suppression.at().toString()));
        table.putIf(Put.builder().item(item).conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public int softBounce(String shopId, String email, Instant at) {
        Map<String, AttributeValue> after = table.update(b -> b.key(key(pk(shopId), SOFT_PREFIX + email))
                .updateExpression("ADD #c :one SET #x = if_not_exists(#x, :x)")
                .expressionAttributeNames(Map.of("#c", "count", "#x", KindlingTable.EXPIRES_AT))
                .expressionAttributeValues(Map.of(":one", n(1), ":x", n(at.plus(SOFT_BOUNCE_WINDOW).getEpochSecond())))
                .returnValues(ReturnValue.UPDATED_NEW));
        return Integer.parseInt(after.get("count").n());
    }

    @Override
    public List<Suppression> list(String shopId, int limit) {
        List<Suppression> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = table.query(b -> {
                b.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk(shopId))));
                if (from != null) b.exclusiveStartKey(from);
            });
            page.items().stream().filter(i -> !i.get(KindlingTable.SK).s().startsWith(SOFT_PREFIX) && !i.get(KindlingTable.SK).s().startsWith(ERASED_PREFIX))
                    .forEach(i -> all.add(of(i)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() && all.size() < limit ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    @Override
    public boolean remove(String shopId, String email) {
        if (table.get(pk(shopId), email, true) == null) return false;
        table.writeAll(List.of(MeteredTable.delete(pk(shopId), email), MeteredTable.delete(pk(shopId), SOFT_PREFIX + email)));
        return true;
    }

    static String pk(String shopId) {
        return KindlingTable.shopPk(shopId, PARTITION);
    }

    private static Suppression of(Map<String, AttributeValue> item) {
        return new Suppression(item.get(KindlingTable.SK).s(), item.get("reason").s(), item.get("detail").s(), Instant.parse(item.get("at").s()));
    }
}
