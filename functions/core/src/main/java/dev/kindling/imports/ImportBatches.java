package dev.kindling.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.catalog.Catalog;
import dev.kindling.catalog.CatalogLearning;
import dev.kindling.catalog.Product;
import dev.kindling.event.Trust;
import dev.kindling.ingest.ImportedEvents;
import dev.kindling.ingest.IngestApi;
import dev.kindling.ingest.Ingestor;
import dev.kindling.shop.Shop;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one batch of an import: each item to its canonical event ({@link ImportedEvents}) and through the one ingest
 * path ({@link Ingestor}) as history, so profiles, identities (merged with whoever Kindling knows, never duplicated),
 * consent, commerce, scores, stages and segments come out as if it had arrived live, and no journey starts. An item
 * that cannot be used is counted as skipped with its line and reason, and the batch goes on. The same batch run again
 * (a retried Lambda, a second import of the file) stores nothing twice: each event's key comes from the source's ids.
 */
public final class ImportBatches {
    private final Ingestor ingestor;
    private final Catalog catalog;
    private final ImportStore store;
    private final Clock clock;

    public ImportBatches(Ingestor ingestor, Catalog catalog, ImportStore store, Clock clock) {
        this.ingestor = ingestor;
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
        long imported = 0, unchanged = 0, skipped = 0;
        List<ImportStatus.Problem> problems = new ArrayList<>();
        List<Ingestor.Delivery> deliveries = new ArrayList<>(items.size());
        for (ImportItem item : items) {
            String problem = item.problem();
            if (problem == null && isProduct(format, item.row())) {
                // a product is the shop's catalog, not a person's event: laid over what the catalog learned, as authority
                try {
                    Product product = format == ImportFormat.SHOPIFY_API ? ImportedProducts.shopify(item.row()) : ImportedProducts.wooCommerce(item.row().path("product"));
                    if (CatalogLearning.learnable(product)) {
                        Product known = catalog.products(shop.id(), List.of(product.id())).get(product.id());
                        if (known != null && ImportedProducts.sameFacts(known, product)) {
                            unchanged++; // the same facts again: a second pull changes nothing
                        } else {
                            catalog.recordSeen(shop.id(), List.of(product), Trust.AUTHORITY);
                            imported++;
                        }
                    } else {
                        problem = "the product's id or category is longer than " + CatalogLearning.MAX_KEY_CHARS + " characters";
                    }
                } catch (IllegalArgumentException unusable) {
                    problem = unusable.getMessage();
                }
            } else if (problem == null) {
                try {
                    ImportedEvents.Imported event = map(shop, importId, format, item);
                    problem = IngestApi.busSizeProblem(shop.id(), event.event());
                    if (problem == null) deliveries.add(new Ingestor.Delivery(event.deliveryKey(), event.event()));
                } catch (IllegalArgumentException unusable) {
                    problem = unusable.getMessage();
                }
            }
            if (problem != null) {
                skipped++;
                if (problems.size() < ImportStatus.PROBLEMS_KEPT) problems.add(new ImportStatus.Problem(item.line(), problem));
            }
        }
        for (Ingestor.Outcome outcome : ingestor.ingestAll(shop.id(), deliveries)) {
            if (outcome instanceof Ingestor.Outcome.Accepted) imported++;
            else unchanged++;
        }
        ImportStatus.Tally tally = new ImportStatus.Tally(items.size(), imported, unchanged, skipped, problems);
        store.add(shop.id(), importId, tally);
        return tally;
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
