package dev.kindling.send;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One message in the message log (an email, or a text when {@code channel} is {@code sms}): who, which template, why it was sent, and every attempt with its
 * outcome. Written before SES is called, so a retry finds it and never sends twice.
 *
 * <p>Built with {@link #pending} and moved on with {@link #next} and the {@code with…} methods, or field by
 * field with {@link #toBuilder()}: eighteen positional arguments are not written by hand.
 *
 * @param providerMessageId SES's message id once sent
 * @param engagement        when each SES event (Delivery, Open, Click, Bounce, Complaint …), or each End User Messaging
 *                          receipt of a text (TEXT_DELIVERED, TEXT_FAILED …), first came
 * @param channel           {@code sms} for a text; null for an email (the log's first channel)
 * @param encoding          a text's encoding (GSM_7 or UCS_2) and its {@code segments}, each billed as one message
 * @param links             the codes of a text's short links ({@link ShortLinks})
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
        Map<String, Instant> engagement,
        String channel,
        String encoding,
        Integer segments,
        List<String> links) {

    public static final String SMS = "sms";

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

    /** A message not tried yet: who and what it is for, no address, status or attempts. */
    public static MessageRecord pending(String shopId, String contactId, String messageId, String idempotencyKey, String templateId,
                                        SendRequest.Kind kind, SendRequest.Tags tags) {
        return new Builder().shopId(shopId).contactId(contactId).messageId(messageId).idempotencyKey(idempotencyKey)
                .templateId(templateId).kind(kind).tags(tags).build();
    }

    /** This record moved to a new status, with the attempt appended. */
    public MessageRecord next(Status status, String reason, Instant until, String providerMessageId, Instant at) {
        List<Attempt> all = new ArrayList<>(attempts == null ? List.of() : attempts);
        all.add(new Attempt(at, status, reason, until));
        // the log keeps the first and the latest attempts when a send is deferred many times
        if (all.size() > 20) all.subList(1, all.size() - 19).clear();
        return toBuilder().status(status).reason(reason).until(until)
                .providerMessageId(providerMessageId != null ? providerMessageId : this.providerMessageId)
                .createdAt(createdAt != null ? createdAt : at).updatedAt(at).attempts(List.copyOf(all)).build();
    }

    public MessageRecord withDelivery(String to, String subject) {
        return toBuilder().to(to).subject(subject).build();
    }

    public MessageRecord withTopic(String topic) {
        return toBuilder().topic(topic).build();
    }

    /** This message as a text of this shape. */
    public MessageRecord withText(String encoding, int segments) {
        return toBuilder().channel(SMS).encoding(encoding).segments(segments).build();
    }

    public MessageRecord withEngagement(Map<String, Instant> seen) {
        return toBuilder().engagement(seen).build();
    }

    public SendResult result() {
        return new SendResult(messageId, status, reason, until, providerMessageId);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A message record field by field; what is not set is null (attempts and engagement: empty). */
    public static final class Builder {
        private String shopId, contactId, messageId, idempotencyKey, to, templateId, subject, topic, reason, providerMessageId, channel, encoding;
        private Integer segments;
        private List<String> links = List.of();
        private SendRequest.Kind kind;
        private SendRequest.Tags tags;
        private Status status;
        private Instant until, createdAt, updatedAt;
        private List<Attempt> attempts = List.of();
        private Map<String, Instant> engagement = Map.of();

        public Builder() {}

        private Builder(MessageRecord r) {
            shopId = r.shopId; contactId = r.contactId; messageId = r.messageId; idempotencyKey = r.idempotencyKey; to = r.to;
            templateId = r.templateId; subject = r.subject; kind = r.kind; topic = r.topic; tags = r.tags; status = r.status;
            reason = r.reason; until = r.until; providerMessageId = r.providerMessageId; createdAt = r.createdAt; updatedAt = r.updatedAt;
            attempts = r.attempts; engagement = r.engagement; channel = r.channel; encoding = r.encoding; segments = r.segments; links = r.links;
        }

        public Builder shopId(String v) { shopId = v; return this; }
        public Builder contactId(String v) { contactId = v; return this; }
        public Builder messageId(String v) { messageId = v; return this; }
        public Builder idempotencyKey(String v) { idempotencyKey = v; return this; }
        public Builder to(String v) { to = v; return this; }
        public Builder templateId(String v) { templateId = v; return this; }
        public Builder subject(String v) { subject = v; return this; }
        public Builder kind(SendRequest.Kind v) { kind = v; return this; }
        public Builder topic(String v) { topic = v; return this; }
        public Builder tags(SendRequest.Tags v) { tags = v; return this; }
        public Builder status(Status v) { status = v; return this; }
        public Builder reason(String v) { reason = v; return this; }
        public Builder until(Instant v) { until = v; return this; }
        public Builder providerMessageId(String v) { providerMessageId = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder updatedAt(Instant v) { updatedAt = v; return this; }
        public Builder attempts(List<Attempt> v) { attempts = v; return this; }
        public Builder engagement(Map<String, Instant> v) { engagement = v; return this; }
        public Builder channel(String v) { channel = v; return this; }
        public Builder encoding(String v) { encoding = v; return this; }
        public Builder segments(Integer v) { segments = v; return this; }
        public Builder links(List<String> v) { links = v; return this; }

        public MessageRecord build() {
            return new MessageRecord(shopId, contactId, messageId, idempotencyKey, to, templateId, subject, kind, topic, tags, status, reason,
                    until, providerMessageId, createdAt, updatedAt, attempts, engagement, channel, encoding, segments, links);
        }
    }
}
