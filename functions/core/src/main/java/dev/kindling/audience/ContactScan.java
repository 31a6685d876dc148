package dev.kindling.audience;

import dev.kindling.contact.Contact;
import dev.kindling.event.Stored;
import dev.kindling.scoring.ScoreState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Reads every contact of a shop with its scores and memberships, one shard at a time, so a refresh
 * can read the shards in parallel. Reads contacts only, never their events.
 */
public interface ContactScan {

    int shards();

    /** Each live profile of the shard (profiles merged into another are skipped). */
    void scan(String shopId, int shard, Consumer<ScannedContact> each);

    /** Every live profile of the shop, the shards read at once; the first shard that fails fails the whole scan. */
    default void scanAll(String shopId, Consumer<ScannedContact> each) {
        ExecutorService pool = Executors.newFixedThreadPool(shards());
        try {
            List<Future<?>> shards = new ArrayList<>();
            for (int shard = 0; shard < shards(); shard++) {
                int s = shard;
                shards.add(pool.submit(() -> scan(shopId, s, each)));
            }
            for (Future<?> f : shards) f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the scan of " + shopId + " was interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    record ScannedContact(Contact contact, Stored<ScoreState> scores, Stored<Map<String, Instant>> memberships) {}
}
