package dev.kindling.local;

import dev.kindling.imports.ImportBatches;
import dev.kindling.imports.ImportItem;
import dev.kindling.imports.ImportRunner;
import dev.kindling.imports.ImportStatus;
import dev.kindling.imports.ImportStore;
import dev.kindling.imports.Imports;
import dev.kindling.shop.Shop;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@link ImportRunner} of the local runtime: the batches the import state machine runs on AWS ({@link Imports#split},
 * {@link ImportBatches}), run in process, {@link #WORKERS} at once; the source is read as the workers take its batches,
 * so a large file is never all in memory as batches.
 */
final class LocalImports implements ImportRunner, AutoCloseable {
    /** Batches at once: as the Distributed Map's concurrency bounds DynamoDB's writes on AWS, this bounds DynamoDB Local's. */
    static final int WORKERS = 4;

    private final ImportBatches batches;
    private final ImportStore store;
    private final Imports.Pulls pulls;
    private final Clock clock;
    private final ExecutorService readers = Executors.newCachedThreadPool(daemon("kindling-import-reader"));
    /** A bounded queue: the reader waits when the workers are behind (the caller runs a batch itself when it is full). */
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(WORKERS * 2),
            daemon("kindling-import-batch"), new ThreadPoolExecutor.CallerRunsPolicy());

    private final LocalImportUploads uploads;

    LocalImports(ImportBatches batches, Imports.Pulls pulls, LocalImportUploads uploads, Clock clock) {
        this.uploads = uploads;
        this.batches = batches;
        this.store = batches.store();
        this.pulls = pulls;
        this.clock = clock;
    }

    @Override
    public void start(Shop shop, ImportStatus status, byte[] file, String uploadKey) {
        readers.submit(() -> run(shop, status, file, uploadKey));
    }

    /** Runs the import to its end; what failed is recorded on it, as the state machine's Catch records it on AWS. */
    void run(Shop shop, ImportStatus status, byte[] file, String uploadKey) {
        List<Future<?>> running = new ArrayList<>();
        try (InputStream source = file != null ? new ByteArrayInputStream(file) : uploadKey != null ? uploads.open(uploadKey) : null) {
            long total = Imports.split(status.format(), source, shop, pulls,
                    (List<ImportItem> batch) -> running.add(workers.submit(() -> batches.run(shop, status.id(), status.format(), batch))));
            store.total(shop.id(), status.id(), total);
            for (Future<?> f : running) f.get();
            store.finished(shop.id(), status.id(), ImportStatus.State.done, null, clock.instant());
            if (uploadKey != null) uploads.delete(uploadKey); // as the machine deletes the file on AWS
        } catch (RuntimeException | ExecutionException | IOException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            store.finished(shop.id(), status.id(), ImportStatus.State.failed, String.valueOf(cause.getMessage()), clock.instant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        readers.shutdownNow();
        workers.shutdownNow();
    }
}
