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
 * the order back out.
 */
public record Commerce(
        int orders,
        BigDecimal totalSpent,
        BigDecimal averageOrderValue,
        String currency,
        Instant firstOrderAt,
        Instant lastOrderAt,
        Map<String, BigDecimal> orderTotals,
        Map<String, BigDecimal> refunds) {

    public static final Commerce NONE = new Commerce(0, BigDecimal.ZERO, null, null, null, null, Map.of(), Map.of());

    Commerce withOrder(String orderId, BigDecimal total, String orderCurrency, Instant placedAt) {
        Map<String, BigDecimal> totals = new TreeMap<>(orderTotals);
        boolean isNew = totals.put(orderId, total) == null;
        Instant first = firstOrderAt;
        Instant last = lastOrderAt;
        if (isNew && placedAt != null) {
            first = earliest(first, placedAt);
            last = latest(last, placedAt);
        }
        return derive(totals, refunds, orderCurrency != null ? orderCurrency : currency, first, last);
    }

    Commerce withoutOrder(String orderId) {
        if (!orderTotals.containsKey(orderId)) return this;
        Map<String, BigDecimal> totals = new TreeMap<>(orderTotals);
        totals.remove(orderId);
        return derive(totals, refunds, currency, firstOrderAt, lastOrderAt);
    }

    Commerce withRefund(String orderId, String refundId, BigDecimal amount) {
        Map<String, BigDecimal> all = new TreeMap<>(refunds);
        all.put(orderId + "/" + refundId, amount);
        return derive(orderTotals, all, currency, firstOrderAt, lastOrderAt);
    }

    Commerce plus(Commerce other) {
        Map<String, BigDecimal> totals = new TreeMap<>(other.orderTotals);
        totals.putAll(orderTotals);
        Map<String, BigDecimal> allRefunds = new TreeMap<>(other.refunds);
        allRefunds.putAll(refunds);
        return derive(totals, allRefunds, currency != null ? currency : other.currency,
                earliest(firstOrderAt, other.firstOrderAt), latest(lastOrderAt, other.lastOrderAt));
    }

    private static Commerce derive(Map<String, BigDecimal> totals, Map<String, BigDecimal> refunds, String currency,
                                   Instant first, Instant last) {
        BigDecimal gross = totals.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal refunded = refunds.entrySet().stream()
                .filter(r -> totals.containsKey(r.getKey().substring(0, r.getKey().lastIndexOf('/'))))
                .map(Map.Entry::getValue)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal spent = gross.subtract(refunded).max(BigDecimal.ZERO);
        BigDecimal average = totals.isEmpty() ? null
                : spent.divide(BigDecimal.valueOf(totals.size()), 2, RoundingMode.HALF_EVEN);
        return new Commerce(totals.size(), spent, average, currency, first, last, Map.copyOf(totals), Map.copyOf(refunds));
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
