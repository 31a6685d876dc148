package dev.kindling.retry;

/**
 * A write that kept losing to concurrent writers of the same item for as long as the request could wait: nothing of it
 * was stored, and the same request a moment later goes through. The HTTP API answers 503 with {@code Retry-After}, which
 * every webhook sender and tracking library retries; it is not a fault of ours (not a 500, not an alarm).
 */
public final class Contended extends RuntimeException {
    /** What the caller is asked to wait before sending again. */
    public static final int RETRY_AFTER_SECONDS = 1;

    public Contended(String message) {
        super(message, null, false, false);
    }
}
