package dev.kindling.privacy;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a person's export is handed out: a file behind a link that expires, never the answer to the
 * admin call itself, which Lambda caps at 6 MB (a long-time customer's events and messages pass it).
 * On AWS an object in the stack's exports bucket with a presigned URL; here, a file of the local
 * runtime's with a signed link. A person has one export at a time, replaced by the next and removed
 * by their erasure; what is left expires by itself (the bucket keeps objects a day).
 */
public interface ExportFiles {
    /** How long a link works. */
    Duration LINK_LIFETIME = Duration.ofMinutes(15);

    /** Stores the export, replacing the person's last, and answers a link to it that works until {@code now + LINK_LIFETIME}. */
    Link publish(String shopId, String contactId, byte[] json, Instant now);

    /** Removes the person's export, if there is one. */
    void forget(String shopId, String contactId);

    /** A link to an export and when it stops working. */
    record Link(String url, Instant expiresAt) {}

    /** The file's name in the store: the shop, then the contact. */
    static String key(String shopId, String contactId) {
        return "exports/" + shopId + "/" + contactId + ".json";
    }

    /** The name a browser saves the file under. */
    static String fileName(String contactId) {
        return "contact-" + contactId + ".json";
    }
}
