package dev.kindling.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.audience.ScoreUpdate;
import dev.kindling.catalog.Catalog;
import dev.kindling.catalog.CatalogLearning;
import dev.kindling.catalog.Product;
import dev.kindling.contact.ContactStore;
import dev.kindling.event.EventPublisher;
import dev.kindling.event.Trust;
import dev.kindling.ingest.ImportedEvents;
import dev.kindling.ingest.IngestApi;
import dev.kindling.ingest.Ingestor;
import dev.kindling.shop.Shop;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one batch of an import: each item to its canonical event ({@link ImportedEvents}) and through the one ingest
 * path ({@link Ingestor}) as history, so profiles, identities (merged with whoever Kindling knows, never duplicated),
 * consent, commerce, scores, stages and segments come out as if it had arrived live, and no journey starts. Scores are
 * applied here, each person's events of the batch together, each as of its own time ({@link ScoredHistory}). An item
 * that cannot be used is counted as skipped with its line and reason, and the batch goes on. The same batch run again
 * (a retried Lambda, a second import of the file) stores nothing twice: each event's key comes from the source's ids.
 */
public final class ImportBatches {
    private final Ingestor ingestor;
    private final Catalog catalog;
    private final ImportStore store;
    private final Clock clock;

    /** @param bus where the imported events go, scored on the way ({@link ScoredHistory}) */
    public ImportBatches(ContactStore contacts, ScoreUpdate scores, EventPublisher bus, Catalog catalog, ImportStore store, Clock clock) {
        this.ingestor = new Ingestor(contacts, new ScoredHistory(scores, bus));
        this.catalog = catalog;
        this.store = store;
        this.clock = clock;
    }

    /** Where the imports' statuses are kept. */
    public ImportStore store() {
        return store;
    }

    /** Runs the batch and adds what it did to the import's status; returns that. */
    public ImportStatus.Tally run(Shop shop, String importId, ImportFormat format, List<ImportItem> items) {
        List<ImportStatus.Problem> problems = new ArrayList<>();
        List<Ingestor.Delivery> deliveries = new ArrayList<>(items.size());
        List<Product> products = new ArrayList<>();
        long skipped = 0;
        for (ImportItem item : items) {
            String problem = item.problem();
            if (problem == null) {
                try {
                    if (isProduct(format, item.row())) {
                        problem = product(format, item.row(), products);
                    } else {
                        ImportedEvents.Imported event = map(shop, importId, format, item);
                        problem = IngestApi.busSizeProblem(shop.id(), event.event());
                        if (problem == null) deliveries.add(new Ingestor.Delivery(event.deliveryKey(), event.event()));
                    }
                } catch (IllegalArgumentException unusable) {
                    problem = unusable.getMessage();
                }
            }
            if (problem != null) {
                skipped++;
                if (problems.size() < ImportStatus.PROBLEMS_KEPT) problems.add(new ImportStatus.Problem(item.line(), problem));
            }
        }
        long learned = learn(shop, products);
        long imported = learned, merged = 0, unchanged = products.size() - learned;
        for (Ingestor.Outcome outcome : ingestor.ingestAll(shop.id(), deliveries)) {
            if (outcome instanceof Ingestor.Outcome.Accepted accepted) {
                imported++;
                if (accepted.known()) merged++;
            } else {
                unchanged++;
            }
        }
        ImportStatus.Tally tally = new ImportStatus.Tally(items.size(), imported, merged, unchanged, skipped, problems);
        store.add(shop.id(), importId, tally);
        return tally;
    }

    /** Adds a product item to {@code products}; why it cannot be learned, or null. */
    private static String product(ImportFormat format, JsonNode row, List<Product> products) {
        Product product = format == ImportFormat.SHOPIFY_API ? ImportedProducts.shopify(row) : ImportedProducts.wooCommerce(row.path("product"));
        if (!CatalogLearning.learnable(product)) return "the product's id or category is longer than " + CatalogLearning.MAX_KEY_CHARS + " characters";
        products.add(product);
        return null;
    }

    /**
     * A product is the shop's catalog, not a person's event: laid over what the catalog learned, as authority. The batch's
     * products are read in one request; those whose facts the catalog already holds change nothing (a second pull).
     * Returns how many were learned.
     */
    private long learn(Shop shop, List<Product> products) {
        if (products.isEmpty()) return 0;
        Map<String, Product> known = catalog.products(shop.id(), products.stream().map(Product::id).toList());
        List<Product> changed = products.stream().filter(p -> known.get(p.id()) == null || !ImportedProducts.sameFacts(known.get(p.id()), p)).toList();
        if (!changed.isEmpty()) catalog.recordSeen(shop.id(), changed, Trust.AUTHORITY);
        return changed.size();
    }

    private static boolean isProduct(ImportFormat format, JsonNode row) {
        return format == ImportFormat.SHOPIFY_API ? ShopifyBulkPull.isProduct(row) : format == ImportFormat.WOOCOMMERCE_API && row.has("product");
    }

    private ImportedEvents.Imported map(Shop shop, String importId, ImportFormat format, ImportItem item) {
        return switch (format) {
            case SHOPIFY_CUSTOMERS_CSV -> ImportedEvents.shopifyCustomerCsv(importId, item.line(), item.row(), clock.instant());
            case SHOPIFY_ORDERS_CSV -> ImportedEvents.shopifyOrderCsv(importId, item.line(), item.row(), clock.instant());
            case SEGMENT_JSONL -> ImportedEvents.segmentCall(importId, item.row(), shop.serverKey(), clock.instant());
            case WOOCOMMERCE_API -> ImportedEvents.wooCommerce(importId, item.row(), clock.instant());
            case SHOPIFY_API -> ShopifyBulkPull.isOrder(item.row())
                    ? ImportedEvents.shopifyOrder(importId, item.row(), clock.instant())
                    : ImportedEvents.shopifyCustomer(importId, item.row(), clock.instant());
        };
    }
}
