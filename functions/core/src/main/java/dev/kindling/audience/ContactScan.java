package dev.kindling.audience;

import dev.kindling.contact.Contact;
import dev.kindling.event.Stored;
import dev.kindling.scoring.ScoreState;
import dev.kindling.scoring.ScoreSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads every contact of a shop with its scores and memberships, one shard at a time, so a refresh
 * can read the shards in parallel. Reads contacts only, never their events.
 *
 * <p>A scan an admin call waits for (a segment preview, a contact search) may stop early, when its
 * time is up ({@link #scanUntil}); how much of the shop it read ({@link Coverage}) then makes its
 * answer an estimate. Contact ids are random UUIDs and each shard lists its contacts in id order, so
 * the id a shard stopped at says what share of that shard was read.
 */
public interface ContactScan {

    int shards();

    /**
     * Each live profile of the shard (profiles merged into another are skipped), in contact id order, until
     * {@code stop} answers true (asked between profiles); how far the shard was read.
     */
    Reached scan(String shopId, int shard, BooleanSupplier stop, Consumer<ScannedContact> each);

    /** Every live profile of the shop, the shards read at once; the first shard that fails fails the whole scan. */
    default void scanAll(String shopId, Consumer<ScannedContact> each) {
        scanUntil(shopId, () -> false, each);
    }

    /** As {@link #scanAll}, each shard stopping once {@code stop} answers true; how much of the shop was read. */
    default Coverage scanUntil(String shopId, BooleanSupplier stop, Consumer<ScannedContact> each) {
        ExecutorService pool = Executors.newFixedThreadPool(shards());
        try {
            List<Future<Reached>> shards = new ArrayList<>();
            for (int shard = 0; shard < shards(); shard++) {
                int s = shard;
                shards.add(pool.submit(() -> scan(shopId, s, stop, each)));
            }
            List<Reached> reached = new ArrayList<>();
            for (Future<Reached> f : shards) reached.add(f.get());
            return new Coverage(reached);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the scan of " + shopId + " was interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** How far a shard was read: the whole of it, or up to this contact (the last read). */
    record Reached(boolean complete, String lastContactId) {
        public static final Reached ALL = new Reached(true, null);

        /**
         * The share of the shard read: 1 when complete, else where its last contact id falls in the id space (its first
         * 8 hex digits over 16^8); NaN when that id is not a UUID's (nothing can be said of the rest).
         */
        double fraction() {
            if (complete) return 1;
            if (lastContactId == null) return 0;
            if (!lastContactId.matches("[0-9a-fA-F]{8}(-.*)?")) return Double.NaN;
            return (Long.parseLong(lastContactId.substring(0, 8), 16) + 1) / (double) (1L << 32);
        }
    }

    /** How much of a shop a scan read. */
    record Coverage(List<Reached> shards) {
        public boolean complete() {
            return shards.stream().allMatch(Reached::complete);
        }

        /** The share of the shop's contacts read (shards are alike in size: contacts are spread over them by a hash of their id). */
        public double fraction() {
            return shards.stream().mapToDouble(Reached::fraction).average().orElse(1);
        }

        /** What a count over the part read comes to over the whole shop, rounded; the count itself when complete or unknowable. */
        public long estimate(long counted) {
            double f = fraction();
            if (complete() || Double.isNaN(f) || f <= 0) return counted;
            return Math.round(counted / f);
        }
    }

    /**
     * A contact as the index holds them: the profile, the {@linkplain ScoreSummary summary} of their scores (null: none
     * yet), their scores themselves, read from the table only when asked for (the index held them whole before
     * summaries), and their memberships.
     */
    record ScannedContact(Contact contact, ScoreSummary summary, Supplier<Stored<ScoreState>> scores, Stored<Map<String, Instant>> memberships) {
        public String stage() {
            return summary != null ? summary.stage() : scores.get().value().stage();
        }
    }
}
