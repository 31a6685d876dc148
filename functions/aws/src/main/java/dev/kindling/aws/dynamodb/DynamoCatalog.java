package dev.kindling.aws.dynamodb;

import dev.kindling.retry.OptimisticWrites;
import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kindling.catalog.Catalog;
import dev.kindling.catalog.Product;
import dev.kindling.event.Trust;
import dev.kindling.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link Catalog}: one item per product (facts, units sold, strongest co-purchases), category
 * membership items with units sold, the shop's best sellers in one item, and an order marker so
 * an order counts once. Items are written at the version read and retried on a race.
 */
public final class DynamoCatalog implements Catalog {
    static final int BEST_SELLERS_KEPT = 50;
    private static final String PRODUCT_SK = "P";
    private static final String TOP_SK = "TOP";
    /** The new-arrivals index in the shop's catalog partition: {@code NEW#<first seen>#<product id>}. */
    static final String NEW_PREFIX = "NEW#";

    private record Ranked(String id, long sold) {}

    private final MeteredTable table;
    private final Clock clock;

    public DynamoCatalog(MeteredTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Map<String, Product> products(String shopId, Collection<String> productIds) {
        Map<String, Product> found = new LinkedHashMap<>();
        List<String> ids = productIds.stream().distinct().toList();
        for (int from = 0; from < ids.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + 100)).stream()
                    .map(id -> key(productPk(shopId, id), PRODUCT_SK)).toList();
            for (Map<String, AttributeValue> item : table.batchGet(KeysAndAttributes.builder().keys(keys).build())) {
                Product p = Json.read(item.get("product").s(), Product.class);
                found.put(p.id(), p);
            }
        }
        return found;
    }

    @Override
    public List<Product> bestSellers(String shopId, int limit) {
        List<String> ids = top(shopId).ranked.stream().limit(limit).map(Ranked::id).toList();
        Map<String, Product> found = products(shopId, ids);
        return ids.stream().map(found::get).filter(Objects::nonNull).toList();
    }

    @Override
    public List<Product> inCategory(String shopId, String category, int limit) {
        QueryResponse page = table.query(b -> b.keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(categoryPk(shopId, category)))).limit(200));
        List<String> ids = page.items().stream()
                .sorted(Comparator.comparingLong((Map<String, AttributeValue> i) -> Long.parseLong(i.get("sold").n())).reversed())
                .limit(limit).map(i -> i.get(KindlingTable.SK).s()).toList();
        Map<String, Product> found = products(shopId, ids);
        return ids.stream().map(found::get).filter(Objects::nonNull).toList();
    }

    @Override
    public boolean recordOrder(String shopId, String orderId, List<Product> lines, Map<String, Integer> quantities) {
        Map<String, AttributeValue> marker = key(KindlingTable.shopPk(shopId, "CATALOG"), "ORDER#" + orderId);
        marker.put(KindlingTable.EXPIRES_AT, n(clock.instant().plus(Duration.ofDays(400)).getEpochSecond()));
        if (!table.putIf(Put.builder().item(marker).conditionExpression("attribute_not_exists(pk)"))) return false;
        List<Ranked> sold = new ArrayList<>();
        for (Product line : lines) {
            long units = Math.max(1, quantities.getOrDefault(line.id(), 1));
            boolean[] created = new boolean[1];
            Product after = change(shopId, line.id(), current -> {
                created[0] = current == null;
                Map<String, Long> with = new HashMap<>(current == null || current.boughtWith() == null ? Map.of() : current.boughtWith());
                lines.stream().filter(o -> !o.id().equals(line.id())).forEach(o -> with.merge(o.id(), 1L, Long::sum));
                Map<String, Long> kept = new LinkedHashMap<>();
                with.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(Product.BOUGHT_WITH_KEPT)
                        .forEach(e -> kept.put(e.getKey(), e.getValue()));
                Product base = current == null ? line : current.seenAs(line);
                return base.withSales(units, kept);
            });
            if (created[0]) announce(shopId, after.id());
            sold.add(new Ranked(after.id(), after.sold()));
            if (after.category() != null) {
                Map<String, AttributeValue> member = key(categoryPk(shopId, after.category()), after.id());
                member.put("sold", n(after.sold()));
                table.putIf(Put.builder().item(member));
            }
        }
        rank(shopId, sold);
        return true;
    }

    @Override
    public void recordSeen(String shopId, List<Product> products, Trust trust) {
        Map<String, Product> known = products(shopId, products.stream().map(Product::id).toList());
        for (Product seen : products) {
            Product before = known.get(seen.id());
            UnaryOperator<Product> learn = current -> current == null ? seen
                    : trust.isClaim() ? current.filledBy(seen) : current.seenAs(seen);
            if (before != null && learn.apply(before).equals(before)) continue; // nothing new: no write
            Product after = change(shopId, seen.id(), learn);
            if (before == null && !trust.isClaim()) announce(shopId, after.id());
            if (after.category() != null && (before == null || !after.category().equals(before.category()))) {
                Map<String, AttributeValue> member = key(categoryPk(shopId, after.category()), after.id());
                member.put("sold", n(after.sold()));
                table.putIf(Put.builder().item(member));
            }
        }
    }

    /** A product the shop's own data showed first: indexed for new arrivals, kept 400 days. */
    private void announce(String shopId, String productId) {
        Map<String, AttributeValue> item = key(KindlingTable.shopPk(shopId, "CATALOG"), NEW_PREFIX + clock.instant().truncatedTo(ChronoUnit.SECONDS) + "#" + productId);
        item.put(KindlingTable.EXPIRES_AT, n(clock.instant().plus(Duration.ofDays(400)).getEpochSecond()));
        table.putIf(Put.builder().item(item));
    }

    @Override
    public List<Product> newSince(String shopId, Instant since, int limit) {
        QueryResponse page = table.query(b -> b.keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to").scanIndexForward(false)
                .expressionAttributeValues(Map.of(":pk", s(KindlingTable.shopPk(shopId, "CATALOG")), ":from", s(NEW_PREFIX + since.truncatedTo(ChronoUnit.SECONDS)),
                        ":to", s(NEW_PREFIX + "~"))).limit(limit));
        List<String> ids = page.items().stream().map(i -> i.get(KindlingTable.SK).s()).map(sk -> sk.substring(sk.lastIndexOf('#') + 1))
                .distinct().toList();
        Map<String, Product> found = products(shopId, ids);
        return ids.stream().map(found::get).filter(Objects::nonNull).toList();
    }

    private Product change(String shopId, String productId, UnaryOperator<Product> update) {
        Product[] written = new Product[1];
        OptimisticWrites.untilWritten("product " + productId, () -> {
            Map<String, AttributeValue> item = table.get(productPk(shopId, productId), PRODUCT_SK, true);
            Product current = item == null ? null : Json.read(item.get("product").s(), Product.class);
            long version = item == null ? 0 : Long.parseLong(item.get("version").n());
            Product next = update.apply(current);
            Map<String, AttributeValue> write = key(productPk(shopId, productId), PRODUCT_SK);
            write.put("product", s(Json.write(next)));
            write.put("version", n(version + 1));
            written[0] = next;
            return table.putIf(MeteredTable.atVersion(Put.builder().item(write), version));
        });
        return written[0];
    }

    private record Top(List<Ranked> ranked, long version) {}

    private Top top(String shopId) {
        Map<String, AttributeValue> item = table.get(KindlingTable.shopPk(shopId, "CATALOG"), TOP_SK, false);
        if (item == null) return new Top(List.of(), 0);
        return new Top(Json.read(item.get("ranked").s(), new TypeReference<List<Ranked>>() {}), Long.parseLong(item.get("version").n()));
    }

    private void rank(String shopId, List<Ranked> sold) {
        OptimisticWrites.untilWritten("the best sellers of shop " + shopId, () -> {
            Map<String, AttributeValue> item = table.get(KindlingTable.shopPk(shopId, "CATALOG"), TOP_SK, true);
            Top top = item == null ? new Top(List.of(), 0)
                    : new Top(Json.read(item.get("ranked").s(), new TypeReference<List<Ranked>>() {}), Long.parseLong(item.get("version").n()));
            Map<String, Long> merged = new LinkedHashMap<>();
            top.ranked.forEach(r -> merged.put(r.id, r.sold));
            sold.forEach(r -> merged.put(r.id, r.sold));
            List<Ranked> next = merged.entrySet().stream().map(e -> new Ranked(e.getKey(), e.getValue()))
                    .sorted(Comparator.comparingLong(Ranked::sold).reversed()).limit(BEST_SELLERS_KEPT).toList();
            if (next.equals(top.ranked)) return true;
            Map<String, AttributeValue> write = key(KindlingTable.shopPk(shopId, "CATALOG"), TOP_SK);
            write.put("ranked", s(Json.write(next)));
            write.put("version", n(top.version + 1));
            return table.putIf(MeteredTable.atVersion(Put.builder().item(write), top.version));
        });
    }

    private static String productPk(String shopId, String productId) {
        return KindlingTable.shopPk(shopId, "PRODUCT#" + productId);
    }

    private static String categoryPk(String shopId, String category) {
        return KindlingTable.shopPk(shopId, "CATEGORY#" + category);
    }
}
