package dev.kindling.catalog;

import dev.kindling.event.Trust;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The products of a shop as learned from its events, with sales and co-purchases. */
public interface Catalog {

    Map<String, Product> products(String shopId, Collection<String> productIds);

    /** The best-selling products, best first. */
    List<Product> bestSellers(String shopId, int limit);

    /** Products in a category, best-selling first. */
    List<Product> inCategory(String shopId, String category, int limit);

    /** Counts an order once (by its id), however often its event is delivered; returns false for a repeat. */
    boolean recordOrder(String shopId, String orderId, List<Product> lines, Map<String, Integer> quantities);

    /**
     * Learns or refreshes a product's facts from a view, cart or order event. A claim (the public write key) only
     * fills what is not known yet ({@link Product#filledBy}); authority lays its facts over ours ({@link Product#seenAs}).
     */
    void recordSeen(String shopId, List<Product> products, Trust trust);

    /**
     * Products the shop's own data (an order, a webhook, the server key) first showed after {@code since}, newest first:
     * the newsletter's new arrivals. A product a claim made known first is not among them (a stranger's product name
     * never becomes a new arrival).
     */
    List<Product> newSince(String shopId, Instant since, int limit);
}
