package dev.kindling.send;

import java.time.Instant;

/**
 * What a send did, as the caller (a journey's state machine, a campaign) gets it.
 *
 * @param until for deferred sends: call again with the same idempotency key at this time
 */
public record SendResult(String messageId, MessageRecord.Status status, String reason, Instant until, String providerMessageId) {}
