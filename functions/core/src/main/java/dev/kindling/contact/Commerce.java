package dev.kindling.contact;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A customer's purchase facts. Orders are kept by id with their total and refunds by
 * {@code orderId/refundId}, so the several webhooks a shop sends for one order (created, paid,
 * updated, fulfilled) count it once, a replayed refund subtracts once, and a cancellation takes
 * the order back out. Money is kept per currency: {@code totalSpent} and {@code averageOrderValue}
 * are in {@code currency} (the first order's), and an order in another currency counts as an order
 * but is kept apart in {@code orderCurrencies}, never added to them.
 *
 * @param orderCurrencies the currency of each order whose currency is not {@code currency}
 */
public record Commerce(
        int orders,
        BigDecimal totalSpent,
        BigDecimal averageOrderValue,
        String currency,
        Instant firstOrderAt,
        Instant lastOrderAt,
        Map<String, BigDecimal> orderTotals,
        Map<String, BigDecimal> refunds,
        Map<String, String> orderCurrencies) {

    public static final Commerce NONE = new Commerce(0, BigDecimal.ZERO, null, null, null, null, Map.of(), Map.of(), Map.of());

    public Commerce {
        orderCurrencies = orderCurrencies == null ? Map.of() : Map.copyOf(orderCurrencies); // profiles stored before it
    }

    Commerce withOrder(String orderId, BigDecimal total, String orderCurrency, Instant placedAt) {
        Map<String, BigDecimal> totals = new TreeMap<>(orderTotals);
        boolean isNew = totals.put(orderId, total) == null;
        Instant first = firstOrderAt;
        Instant last = lastOrderAt;
        if (isNew && placedAt != null) {
            first = earliest(first, placedAt);
            last = latest(last, placedAt);
        }
        String primary = currency != null ? currency : orderCurrency;
        Map<String, String> apart = new TreeMap<>(orderCurrencies);
        if (orderCurrency != null && primary != null && !orderCurrency.equals(primary)) apart.put(orderId, orderCurrency);
        return derive(totals, refunds, primary, first, last, apart);
    }

    Commerce withoutOrder(String orderId) {
        if (!orderTotals.containsKey(orderId)) return this;
        Map<String, BigDecimal> totals = new TreeMap<>(orderTotals);
        totals.remove(orderId);
        Map<String, String> apart = new TreeMap<>(orderCurrencies);
        apart.remove(orderId);
        return derive(totals, refunds, currency, firstOrderAt, lastOrderAt, apart);
    }

    Commerce withRefund(String orderId, String refundId, BigDecimal amount) {
        Map<String, BigDecimal> all = new TreeMap<>(refunds);
        all.put(orderId + "/" + refundId, amount);
        return derive(orderTotals, all, currency, firstOrderAt, lastOrderAt, orderCurrencies);
    }

    Commerce plus(Commerce other) {
        Map<String, BigDecimal> totals = new TreeMap<>(other.orderTotals);
        totals.putAll(orderTotals);
        Map<String, BigDecimal> allRefunds = new TreeMap<>(other.refunds);
        allRefunds.putAll(refunds);
        String primary = currency != null ? currency : other.currency;
        Map<String, String> apart = new TreeMap<>(orderCurrencies);
        other.orderTotals.keySet().forEach(id -> {
            String its = other.orderCurrencies.getOrDefault(id, other.currency);
            if (its != null && !its.equals(primary) && !orderTotals.containsKey(id)) apart.put(id, its);
        });
        return derive(totals, allRefunds, primary, earliest(firstOrderAt, other.firstOrderAt), latest(lastOrderAt, other.lastOrderAt), apart);
    }

    /** The sums in the profile's currency: every order counts as an order, only those in that currency as money. */
    private static Commerce derive(Map<String, BigDecimal> totals, Map<String, BigDecimal> refunds, String currency,
                                   Instant first, Instant last, Map<String, String> apart) {
        BigDecimal gross = totals.entrySet().stream().filter(o -> !apart.containsKey(o.getKey())).map(Map.Entry::getValue)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal refunded = refunds.entrySet().stream()
                .map(r -> Map.entry(r.getKey().substring(0, r.getKey().lastIndexOf('/')), r.getValue()))
                .filter(r -> totals.containsKey(r.getKey()) && !apart.containsKey(r.getKey()))
                .map(Map.Entry::getValue)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal spent = gross.subtract(refunded).max(BigDecimal.ZERO);
        long inCurrency = totals.keySet().stream().filter(id -> !apart.containsKey(id)).count();
        BigDecimal average = inCurrency == 0 ? null : spent.divide(BigDecimal.valueOf(inCurrency), 2, RoundingMode.HALF_EVEN);
        return new Commerce(totals.size(), spent, average, currency, first, last, Map.copyOf(totals), Map.copyOf(refunds), apart);
    }

    /** An amount of money an event states (a total, a refund), or zero when it states none or something unreadable. */
    public static BigDecimal amount(JsonNode node, String field) {
        String text = Json.text(node, field);
        if (text == null) return BigDecimal.ZERO;
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return BigDecimal.ZERO;
        }
    }

    static Instant earliest(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isBefore(b) ? a : b;
    }

    static Instant latest(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }
}
