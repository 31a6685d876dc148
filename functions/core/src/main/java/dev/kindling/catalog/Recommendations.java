package dev.kindling.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Products to show a person, from what the shop's customers did: bought together with the seed
 * products (their cart, order or views), then similar ones (same category, shared tags), then the
 * best sellers. Never what the person already bought, nor the products that triggered the email.
 */
public final class Recommendations {
    private final Catalog catalog;

    public Recommendations(Catalog catalog) {
        this.catalog = catalog;
    }

    public List<Product> recommend(String shopId, Collection<String> seeds, Set<String> exclude, int limit) {
        Set<String> excluded = new LinkedHashSet<>(exclude);
        excluded.addAll(seeds);
        Map<String, Product> picked = new LinkedHashMap<>();
        Map<String, Product> seedProducts = seeds.isEmpty() ? Map.of() : catalog.products(shopId, seeds);

        // bought together: partners of every seed, strongest first
        Map<String, Long> partners = new LinkedHashMap<>();
        for (Product seed : seedProducts.values()) {
            if (seed.boughtWith() != null) seed.boughtWith().forEach((id, n) -> partners.merge(id, n, Long::sum));
        }
        List<String> byStrength = partners.entrySet().stream().filter(e -> !excluded.contains(e.getKey()))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).map(Map.Entry::getKey).limit(limit * 2L).toList();
        if (!byStrength.isEmpty()) {
            Map<String, Product> found = catalog.products(shopId, byStrength);
            // never a product at 0.00 (a free gift, a sample) or one we know no name or price for
            for (String id : byStrength) if (found.containsKey(id) && found.get(id).sellable() && picked.size() < limit) picked.put(id, found.get(id));
        }

        // similar: same category, most shared tags first
        if (picked.size() < limit) {
            Set<String> tags = new LinkedHashSet<>();
            Set<String> categories = new LinkedHashSet<>();
            seedProducts.values().forEach(p -> {
                if (p.category() != null) categories.add(p.category());
                if (p.tags() != null) tags.addAll(p.tags());
            });
            List<Product> similar = new ArrayList<>();
            for (String category : categories) similar.addAll(catalog.inCategory(shopId, category, limit * 4));
            similar.sort(Comparator.comparingLong((Product p) -> sharedTags(p, tags)).reversed().thenComparing(Comparator.comparingLong(Product::sold).reversed()));
            add(picked, similar, excluded, limit);
        }

        if (picked.size() < limit) add(picked, catalog.bestSellers(shopId, limit + excluded.size()), excluded, limit);
        return List.copyOf(picked.values());
    }

    private static void add(Map<String, Product> picked, List<Product> candidates, Set<String> excluded, int limit) {
        for (Product p : candidates) {
            if (picked.size() >= limit) return;
            if (!excluded.contains(p.id()) && p.sellable()) picked.putIfAbsent(p.id(), p);
        }
    }

    private static long sharedTags(Product p, Set<String> tags) {
        return p.tags() == null ? 0 : p.tags().stream().filter(tags::contains).count();
    }
}
