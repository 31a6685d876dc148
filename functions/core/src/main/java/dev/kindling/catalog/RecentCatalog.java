package dev.kindling.catalog;

import dev.kindling.event.Trust;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The catalog as the send path reads it: what was read in the last {@link #FRESH} is answered from memory. The
 * recipients of a campaign run, and the journey emails of a busy minute, show the same best sellers, new arrivals and
 * products bought together; read for each email, they were an eighth of the reads a month of the reference shop makes
 * (docs/benchmarks.md, the seventh time). A price or a best seller that changed within the minute shows in the next
 * emails, as it would had they been sent a minute later. What it remembers is bounded ({@link #MAX_ENTRIES}, least
 * recently used first out); writes go straight through.
 */
public final class RecentCatalog implements Catalog {
    static final Duration FRESH = Duration.ofMinutes(1);
    static final int MAX_ENTRIES = 5_000;

    private record Remembered(Object value, Instant readAt) {}

    private final Catalog catalog;
    private final Clock clock;
    private final Map<String, Remembered> remembered = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public RecentCatalog(Catalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    @Override
    public Map<String, Product> products(String shopId, Collection<String> productIds) {
        Map<String, Product> found = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String id : productIds) {
            Optional<Optional<Product>> known = recall("product|" + shopId + "|" + id);
            if (known.isEmpty()) unknown.add(id);
            else known.get().ifPresent(p -> found.put(id, p));
        }
        if (!unknown.isEmpty()) {
            Map<String, Product> read = catalog.products(shopId, unknown);
            // a product the catalog does not know is remembered as unknown too: a recommendation asks for it again
            for (String id : unknown) remember("product|" + shopId + "|" + id, Optional.ofNullable(read.get(id)));
            found.putAll(read);
        }
        Map<String, Product> inOrder = new LinkedHashMap<>();
        for (String id : productIds) if (found.containsKey(id)) inOrder.put(id, found.get(id));
        return inOrder;
    }

    @Override
    public List<Product> bestSellers(String shopId, int limit) {
        return recalled("best|" + shopId + "|" + limit, () -> List.copyOf(catalog.bestSellers(shopId, limit)));
    }

    @Override
    public List<Product> inCategory(String shopId, String category, int limit) {
        return recalled("category|" + shopId + "|" + limit + "|" + category, () -> List.copyOf(catalog.inCategory(shopId, category, limit)));
    }

    @Override
    public List<Product> newSince(String shopId, Instant since, int limit) {
        return recalled("new|" + shopId + "|" + limit + "|" + since, () -> List.copyOf(catalog.newSince(shopId, since, limit)));
    }

    @Override
    public boolean recordOrder(String shopId, String orderId, List<Product> lines, Map<String, Integer> quantities) {
        return catalog.recordOrder(shopId, orderId, lines, quantities);
    }

    @Override
    public void recordSeen(String shopId, List<Product> products, Trust trust) {
        catalog.recordSeen(shopId, products, trust);
    }

    private <T> T recalled(String key, Supplier<T> read) {
        Optional<T> known = recall(key);
        if (known.isPresent()) return known.get();
        T value = read.get();
        remember(key, value);
        return value;
    }

    @SuppressWarnings("unchecked")
    private synchronized <T> Optional<T> recall(String key) {
        Remembered r = remembered.get(key);
        if (r == null || !clock.instant().isBefore(r.readAt().plus(FRESH))) return Optional.empty();
        return Optional.of((T) r.value());
    }

    private synchronized void remember(String key, Object value) {
        remembered.put(key, new Remembered(value, clock.instant()));
    }
}
