package dev.kindling.imports;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A shop's imports and where each stands; batches running at once add their tallies to it. */
public interface ImportStore {
    void started(String shopId, ImportStatus status);

    /** The number of items the import reads, once its source was split. */
    void total(String shopId, String importId, long total);

    /** Adds what one batch did. */
    void add(String shopId, String importId, ImportStatus.Tally tally);

    void finished(String shopId, String importId, ImportStatus.State state, String error, Instant at);

    Optional<ImportStatus> get(String shopId, String importId);

    /** The newest first. */
    List<ImportStatus> recent(String shopId, int limit);
}
