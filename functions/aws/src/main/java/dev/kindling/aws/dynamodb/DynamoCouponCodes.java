package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.coupon.CouponCodes;
import dev.kindling.shop.Signatures;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link CouponCodes} in three kinds of item:
 * <pre>
 * free   pk S#shop#COUPON#id#POOL  sk FREE#code    a code not given yet
 * code   pk S#shop#CODE#code       sk C            couponId, contactId, key, at (given); redeemedBy, redeemedAt
 * given  pk S#shop#COUPON#id#KEY#h sk G            code: what the send of that key was given
 * held   pk (the contact's)            sk CPN#code     couponId, at: the person's codes, in their partition, so their
 *                                                       export lists them and their erasure finds (and deletes) all three
 * </pre>
 * A give is one transaction: the free item deleted (it must exist), the code item, the key's item (which must not
 * exist) and the person's item put: 8 WRU, a transaction billing each item twice. A retry finds the key's item and answers its code; a give that lost a code to another retries with
 * another of the first few free ones (picked at random, so concurrent gives seldom collide). A redemption finds the
 * code by itself, as an order names it.
 */
public final class DynamoCouponCodes implements CouponCodes {
    static final String FREE = "FREE#";
    /** The sort key prefix of a code held by a person, in their partition. */
    public static final String HELD = "CPN#";
    /** How many free codes a give reads to pick one from: concurrent gives then seldom pick the same. */
    static final int PICK_FROM = 10;

    private final MeteredTable table;

    public DynamoCouponCodes(MeteredTable table) {
        this.table = table;
    }

    @Override
    public int add(String shopId, String couponId, List<String> codes) {
        int added = 0;
        for (String raw : codes) {
            String code = normal(raw);
            Map<String, AttributeValue> owner = key(codePk(shopId, code), "C");
            owner.put("couponId", s(couponId));
            Map<String, AttributeValue> free = key(poolPk(shopId, couponId), FREE + code);
            try {
                table.transact(List.of(table.put(Put.builder().item(owner).conditionExpression("attribute_not_exists(pk)")), table.put(Put.builder().item(free))));
                added++;
            } catch (TransactionCanceledException known) {
                // the shop has this code already: a pool is uploaded again, or a code is in two coupons
            }
        }
        return added;
    }

    @Override
    public Optional<Given> give(String shopId, String couponId, Giver giver, Instant at) {
        String key = giver.key();
        for (int attempt = 0; attempt < 20; attempt++) {
            Optional<Given> already = givenTo(shopId, couponId, key);
            if (already.isPresent()) return already;
            QueryResponse free = table.query(b -> b.keyConditionExpression("pk = :pk AND begins_with(sk, :free)")
                    .expressionAttributeValues(Map.of(":pk", s(poolPk(shopId, couponId)), ":free", s(FREE))).limit(PICK_FROM));
            if (free.items().isEmpty()) return Optional.empty();
            String code = free.items().get(ThreadLocalRandom.current().nextInt(free.items().size())).get(KindlingTable.SK).s().substring(FREE.length());
            Map<String, AttributeValue> owner = owner(shopId, couponId, code, giver, at);
            Map<String, AttributeValue> given = key(keyPk(shopId, couponId, key), "G");
            given.put("code", s(code));
            try {
                table.transact(List.of(
                        TransactWriteItem.builder().delete(Delete.builder().tableName(table.name()).key(key(poolPk(shopId, couponId), FREE + code))
                                .conditionExpression("attribute_exists(pk)").build()).build(),
                        table.put(Put.builder().item(owner)),
                        table.put(Put.builder().item(given).conditionExpression("attribute_not_exists(pk)")),
                        table.put(Put.builder().item(held(shopId, giver.contactId(), couponId, code, at)))));
                return Optional.of(new Given(code, couponId, giver, at, null, null));
            } catch (TransactionCanceledException lost) {
                // another give took this code, or this key's send was given one meanwhile: look again
            }
        }
        throw new IllegalStateException("coupon " + couponId + ": could not give a code after 20 tries; try again");
    }

    /** A code's own item: whose it is, for which send (the message the reports credit), when. */
    private static Map<String, AttributeValue> owner(String shopId, String couponId, String code, Giver giver, Instant at) {
        Map<String, AttributeValue> owner = key(codePk(shopId, code), "C");
        owner.put("couponId", s(couponId));
        owner.put("contactId", s(giver.contactId()));
        owner.put("key", s(giver.key()));
        owner.put("at", s(at.toString()));
        String[][] tags = {{"messageId", giver.messageId()}, {"journey", giver.journey()}, {"campaign", giver.campaign()},
                {"step", giver.step()}, {"variant", giver.variant()}, {"template", giver.template()}};
        for (String[] tag : tags) if (tag[1] != null) owner.put(tag[0], s(tag[1]));
        return owner;
    }

    private static Map<String, AttributeValue> held(String shopId, String contactId, String couponId, String code, Instant at) {
        Map<String, AttributeValue> item = key(KindlingTable.contactPk(shopId, contactId), HELD + code);
        item.put("couponId", s(couponId));
        item.put("at", s(at.toString()));
        return item;
    }

    @Override
    public Optional<Given> given(String shopId, String couponId, String key) {
        return givenTo(shopId, couponId, key);
    }

    @Override
    public Given record(String shopId, String couponId, String code, Giver giver, Instant at) {
        String normal = normal(code);
        Map<String, AttributeValue> owner = owner(shopId, couponId, normal, giver, at);
        Map<String, AttributeValue> given = key(keyPk(shopId, couponId, giver.key()), "G");
        given.put("code", s(normal));
        try {
            table.transact(List.of(table.put(Put.builder().item(owner).conditionExpression("attribute_not_exists(pk)")),
                    table.put(Put.builder().item(given).conditionExpression("attribute_not_exists(pk)")),
                    table.put(Put.builder().item(held(shopId, giver.contactId(), couponId, normal, at)))));
            return new Given(normal, couponId, giver, at, null, null);
        } catch (TransactionCanceledException recorded) {
            // a retry: the key holds its code already
            return givenTo(shopId, couponId, giver.key())
                    .orElseThrow(() -> new IllegalStateException("coupon " + couponId + ": code " + normal + " is another send's"));
        }
    }

    private Optional<Given> givenTo(String shopId, String couponId, String key) {
        Map<String, AttributeValue> given = table.get(keyPk(shopId, couponId, key), "G", true);
        if (given == null) return Optional.empty();
        return Optional.ofNullable(table.get(codePk(shopId, given.get("code").s()), "C", true)).map(item -> of(given.get("code").s(), item));
    }

    @Override
    public Optional<Given> redeem(String shopId, String code, String orderId, Instant at) {
        String normal = normal(code);
        try {
            Map<String, AttributeValue> after = table.update(b -> b.key(key(codePk(shopId, normal), "C"))
                    .updateExpression("SET redeemedBy = :o, redeemedAt = :at")
                    .conditionExpression("attribute_exists(contactId) AND (attribute_not_exists(redeemedBy) OR redeemedBy = :o)")
                    .expressionAttributeValues(Map.of(":o", s(orderId), ":at", s(at.toString())))
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(of(normal, after));
        } catch (ConditionalCheckFailedException neverGivenOrTaken) {
            return find(shopId, normal);
        }
    }

    @Override
    public Optional<Given> find(String shopId, String code) {
        String normal = normal(code);
        return Optional.ofNullable(table.get(codePk(shopId, normal), "C", true)).filter(i -> i.containsKey("contactId")).map(i -> of(normal, i));
    }

    @Override
    public long remaining(String shopId, String couponId) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = table.query(b -> {
                b.keyConditionExpression("pk = :pk AND begins_with(sk, :free)").select(Select.COUNT)
                        .expressionAttributeValues(Map.of(":pk", s(poolPk(shopId, couponId)), ":free", s(FREE)));
                if (from != null) b.exclusiveStartKey(from);
            });
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    private static Given of(String code, Map<String, AttributeValue> item) {
        Giver giver = new Giver(text(item, "key"), text(item, "contactId"), text(item, "messageId"), text(item, "journey"), text(item, "campaign"), text(item, "step"),
                text(item, "variant"), text(item, "template"));
        return new Given(code, item.get("couponId").s(), giver,
                item.containsKey("at") ? Instant.parse(item.get("at").s()) : null, text(item, "redeemedBy"),
                item.containsKey("redeemedAt") ? Instant.parse(item.get("redeemedAt").s()) : null);
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).s() : null;
    }

    /** Codes are matched as shops and platforms match them: without case and surrounding space. */
    static String normal(String code) {
        return code.strip().toUpperCase(Locale.ROOT);
    }

    static String poolPk(String shopId, String couponId) {
        return KindlingTable.shopPk(shopId, "COUPON#" + couponId + "#POOL");
    }

    static String codePk(String shopId, String code) {
        return KindlingTable.shopPk(shopId, "CODE#" + code);
    }

    static String keyPk(String shopId, String couponId, String key) {
        return KindlingTable.shopPk(shopId, "COUPON#" + couponId + "#KEY#" + Signatures.sha256Hex(key).substring(0, 32));
    }
}
