package dev.kindling.privacy;

import java.time.Instant;
import java.util.List;

/** Who did what to whose data, and when: kept for the law, holding no personal data itself. */
public interface AuditLog {
    record Entry(String action, String subject, String by, Instant at) {}

    void record(String shopId, String action, String subject, String by, Instant at);

    /** The shop's newest entries first. */
    List<Entry> recent(String shopId, int limit);
}
