package dev.kindling.send;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One email in the message log: who, which template, why it was sent, and every attempt with its
 * outcome. Written before SES is called, so a retry finds it and never sends twice.
 *
 * @param providerMessageId SES's message id once sent
 * @param engagement        when each SES event (Delivery, Open, Click, Bounce, Complaint …) first came
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record MessageRecord(
        String shopId,
        String contactId,
        String messageId,
        String idempotencyKey,
        String to,
        String templateId,
        String subject,
        SendRequest.Kind kind,
        String topic,
        SendRequest.Tags tags,
        Status status,
        String reason,
        Instant until,
        String providerMessageId,
        Instant createdAt,
        Instant updatedAt,
        List<Attempt> attempts,
        Map<String, Instant> engagement) {

    public enum Status {
        /** Claimed: SES is being called. */
        sending,
        sent,
        skipped,
        deferred,
        failed;

        /** Sent, skipped and failed are final: a retry with the same key returns them. */
        public boolean isFinal() {
            return this == sent || this == skipped || this == failed;
        }
    }

    public record Attempt(Instant at, Status status, String reason, Instant until) {}

    /** This record moved to a new status, with the attempt appended. */
    public MessageRecord next(Status status, String reason, Instant until, String providerMessageId, Instant at) {
        List<Attempt> all = new ArrayList<>(attempts == null ? List.of() : attempts);
        all.add(new Attempt(at, status, reason, until));
        // the log keeps the first and the latest attempts when a send is deferred many times
        if (all.size() > 20) all.subList(1, all.size() - 19).clear();
        return new MessageRecord(shopId, contactId, messageId, idempotencyKey, to, templateId, subject, kind, topic, tags,
                status, reason, until, providerMessageId != null ? providerMessageId : this.providerMessageId,
                createdAt != null ? createdAt : at, at, List.copyOf(all), engagement);
    }

    public MessageRecord withDelivery(String to, String subject) {
        return new MessageRecord(shopId, contactId, messageId, idempotencyKey, to, templateId, subject, kind, topic, tags,
                status, reason, until, providerMessageId, createdAt, updatedAt, attempts, engagement);
    }

    public MessageRecord withEngagement(Map<String, Instant> seen) {
        return new MessageRecord(shopId, contactId, messageId, idempotencyKey, to, templateId, subject, kind, topic, tags,
                status, reason, until, providerMessageId, createdAt, updatedAt, attempts, seen);
    }

    public SendResult result() {
        return new SendResult(messageId, status, reason, until, providerMessageId);
    }
}
