package dev.kindling.send;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * One email to send, as journeys and campaigns ask for it.
 *
 * @param context        {@code event}: the triggering event (or its properties); {@code data}: anything
 *                       else the template reads (discount codes, survey links …)
 * @param idempotencyKey the same key always means the same email: a retry returns the first result
 * @param topic          the preference-centre topic; null: the template's
 * @param pacing         whether the shop's frequency cap and quiet hours hold this marketing email back (both, unless a
 *                       campaign says otherwise)
 * @param channel        {@code email} or {@code sms}: what the caller means to send (a journey's step, a campaign); a
 *                       template of the other type is not sent ({@code failed: wrong_channel}); null: the template decides
 * @param coupon         a coupon whose unique code the message carries ({@code {{ coupon.code }}}): one per key, however often
 *                       the send is retried; null: none
 * @param variation      what an A/B variant changes of the template (subject, preheader, sender name); null: nothing
 */
public record SendRequest(
        @JsonProperty("shopId") String shopId,
        @JsonProperty("contactId") String contactId,
        @JsonProperty("template") String templateId,
        @JsonProperty("kind") Kind kind,
        @JsonProperty("idempotencyKey") String idempotencyKey,
        @JsonProperty("context") ObjectNode context,
        @JsonProperty("tags") Tags tags,
        @JsonProperty("topic") String topic,
        @JsonProperty("pacing") Pacing pacing,
        @JsonProperty("channel") String channel,
        @JsonProperty("coupon") String coupon,
        @JsonProperty("variation") Variation variation) {

    /** A request the shop's frequency cap and quiet hours both apply to, as every journey's and page's. */
    public SendRequest(String shopId, String contactId, String templateId, Kind kind, String idempotencyKey, ObjectNode context, Tags tags,
                       String topic) {
        this(shopId, contactId, templateId, kind, idempotencyKey, context, tags, topic, Pacing.BOTH, null, null, null);
    }

    /**
     * What one variant of an A/B test changes of its template, so a subject or a sender name is tested without copying
     * the template: each field replaces the template's (the subject and preheader are Liquid like the template's).
     */
    public record Variation(@JsonProperty("subject") String subject, @JsonProperty("preheader") String preheader,
                            @JsonProperty("fromName") String fromName) {
        public boolean isEmpty() {
            return subject == null && preheader == null && fromName == null;
        }
    }

    /** Which of the shop's pacing rules apply to a marketing email. */
    public record Pacing(@JsonProperty("frequencyCap") boolean frequencyCap, @JsonProperty("quietHours") boolean quietHours) {
        public static final Pacing BOTH = new Pacing(true, true);
    }

    public enum Kind {
        /** Needs consent; obeys topics, the frequency cap and quiet hours; carries List-Unsubscribe. */
        marketing,
        /** Order and account mail, and the double opt-in confirmation: only suppression stops it. */
        transactional
    }

    /** Where a send came from, as SES EmailTags and the daily counters see it. */
    public record Tags(@JsonProperty("journey") String journey, @JsonProperty("campaign") String campaign,
                       @JsonProperty("step") String step, @JsonProperty("variant") String variant) {
        public static final Tags NONE = new Tags(null, null, null, null);
    }

    private static final String TAG = "[A-Za-z0-9_-]{1,64}";

    /** Reads and checks a request; every problem is named, and a bad request sends nothing. */
    public static SendRequest parse(JsonNode json) {
        SendRequest r;
        try {
            r = Json.MAPPER.treeToValue(json, SendRequest.class);
        } catch (Exception unreadable) {
            throw new IllegalArgumentException("send request is not readable: " + unreadable.getMessage().lines().findFirst().orElse(""));
        }
        List<String> problems = new ArrayList<>();
        if (r.shopId == null || !r.shopId.matches("[a-z0-9-]{1,40}")) problems.add("shopId");
        if (r.contactId == null || !r.contactId.matches("[A-Za-z0-9-]{1,64}")) problems.add("contactId");
        if (r.templateId == null || !r.templateId.matches("[a-z0-9][a-z0-9_-]{0,63}")) problems.add("template");
        if (r.kind == null) problems.add("kind (marketing or transactional)");
        if (r.idempotencyKey == null || r.idempotencyKey.isBlank() || r.idempotencyKey.length() > 256) problems.add("idempotencyKey (1-256 characters)");
        if (r.topic != null && !r.topic.matches("[a-z0-9_]{1,32}")) problems.add("topic");
        if (r.channel != null && !r.channel.equals("email") && !r.channel.equals("sms")) problems.add("channel (email or sms)");
        if (r.coupon != null && !r.coupon.matches("[a-z0-9][a-z0-9-]{0,39}")) problems.add("coupon (a coupon's id)");
        if (r.context != null && Json.write(r.context).length() > 64 * 1024) problems.add("context (at most 64 KB)");
        Tags tags = r.tags == null ? Tags.NONE : r.tags;
        for (String t : new String[] {tags.journey, tags.campaign, tags.step, tags.variant}) {
            if (t != null && !t.matches(TAG)) problems.add("tags: " + t + " (1-64 of A-Z a-z 0-9 _ -)");
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException("send request has missing or malformed fields: " + String.join(", ", problems));
        return new SendRequest(r.shopId, r.contactId, r.templateId, r.kind, r.idempotencyKey,
                r.context == null ? Json.object() : r.context, tags, r.topic, r.pacing == null ? Pacing.BOTH : r.pacing, r.channel,
                r.coupon, r.variation == null || r.variation.isEmpty() ? null : r.variation);
    }
}
