package dev.kindling.imports;

import dev.kindling.shop.Shop;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A shop's history brought in: an import is recorded, then run ({@link ImportRunner}) in batches ({@link ImportBatches})
 * over its source, read item by item ({@link #read}); the store keeps where it stands.
 */
public final class Imports {
    /** Items a batch takes: a Lambda invocation's worth on AWS (a few seconds), a unit of parallel work locally. */
    public static final int BATCH = 100;
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final ImportStore store;
    private final ImportRunner runner;
    private final Clock clock;

    public Imports(ImportStore store, ImportRunner runner, Clock clock) {
        this.store = store;
        this.runner = runner;
        this.clock = clock;
    }

    public ImportStore store() {
        return store;
    }

    /** The platforms' APIs an import pulls from. */
    public record Pulls(ShopifyBulkPull shopify, WooCommercePull wooCommerce) {}

    /** Records the import of a file (null: a pull) and sets it running; its id sorts by when it started. */
    public ImportStatus start(Shop shop, ImportFormat format, String name, byte[] file) {
        return start(shop, format, name, file, null);
    }

    /** As above, of a file uploaded through an {@link ImportUploads} link. */
    public ImportStatus startUploaded(Shop shop, ImportFormat format, String name, String uploadId) {
        return start(shop, format, name, null, ImportSteps.uploadKey(shop.id(), uploadId));
    }

    private ImportStatus start(Shop shop, ImportFormat format, String name, byte[] file, String uploadKey) {
        Instant now = clock.instant();
        ImportStatus status = ImportStatus.started(newId(now), format, name, now);
        store.started(shop.id(), status);
        runner.start(shop, status, file, uploadKey);
        return status;
    }

    /** An id that sorts by time and cannot be guessed: an import's, or an upload's. */
    public static String newId(Instant now) {
        return ID_TIME.format(now) + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFL);
    }

    /**
     * Every item of an import's source, in order (the file's rows, or the customers and orders the shop's platform gives),
     * handed on in batches of {@link #BATCH}; returns how many items there were.
     */
    public static long split(ImportFormat format, InputStream file, Shop shop, Pulls pulls, Consumer<List<ImportItem>> eachBatch) {
        List<ImportItem> batch = new ArrayList<>(BATCH);
        long[] count = {0};
        Consumer<ImportItem> each = item -> {
            batch.add(item);
            count[0]++;
            if (batch.size() == BATCH) {
                eachBatch.accept(List.copyOf(batch));
                batch.clear();
            }
        };
        switch (format) {
            case SHOPIFY_API -> pulls.shopify().pull(shop.shopifyAdmin(), each);
            case WOOCOMMERCE_API -> pulls.wooCommerce().pull(shop.wooCommerceApi(), each);
            default -> ImportReader.open(format, file).forEachRemaining(each);
        }
        if (!batch.isEmpty()) eachBatch.accept(List.copyOf(batch));
        return count[0];
    }
}
