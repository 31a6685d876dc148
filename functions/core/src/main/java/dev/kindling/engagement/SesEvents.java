package dev.kindling.engagement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.contact.Identity;
import dev.kindling.email.ShopEmail;
import dev.kindling.event.ConsentChange;
import dev.kindling.ingest.KindlingEvents;
import dev.kindling.ingest.Times;
import dev.kindling.json.Json;
import dev.kindling.lazy.Lazy;
import dev.kindling.send.MessageRecord;
import dev.kindling.send.MessageStore;
import dev.kindling.send.Suppressions;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SES's email events from the configuration set (through EventBridge): each updates its message
 * in the log, the daily counters, and the person. A permanent bounce or a complaint suppresses
 * the address at once; soft bounces suppress it after the shop's limit; a complaint also
 * unsubscribes. Opens, clicks, bounces and complaints become the person's events (Email Opened,
 * Email Link Clicked, Email Bounced, Email Complained), which the scoring rules read.
 * An event SES or EventBridge delivers twice is handled once.
 */
public final class SesEvents {

    public enum Outcome { HANDLED, REPEAT, NOT_OURS }

    private final ShopDirectory shops;
    private final ContactStore contacts;
    private final MessageStore messages;
    private final Suppressions suppressions;
    private final EmailStats stats;
    private final KindlingEvents events;
    private final ShopEmail email;
    private final Clock clock;
    private final DeliverabilityGuard guard;

    public SesEvents(ShopDirectory shops, ContactStore contacts, MessageStore messages, Suppressions suppressions, EmailStats stats,
                     KindlingEvents events, ShopEmail email, Clock clock) {
        this.shops = shops;
        this.contacts = contacts;
        this.messages = messages;
        this.suppressions = suppressions;
        this.stats = stats;
        this.events = events;
        this.email = email;
        this.clock = clock;
        this.guard = new DeliverabilityGuard(email.store(), stats, clock);
    }

    /**
     * @param eventId the EventBridge event id: the same event delivered again carries the same id
     * @param detail  SES's event record ({@code eventType}, {@code mail}, and the object of its type)
     */
    public Outcome handle(String eventId, JsonNode detail) {
        String type = Json.text(detail, "eventType");
        if (type == null) type = Json.text(detail, "notificationType");
        JsonNode mail = detail.path("mail");
        JsonNode tags = mail.path("tags");
        Optional<Shop> shop = shops.byId(tag(tags, "shop"));
        String contactId = tag(tags, "contact");
        String messageId = tag(tags, "message");
        if (type == null || shop.isEmpty() || contactId == null || messageId == null) return Outcome.NOT_OURS;
        String shopId = shop.get().id();
        Instant reported = reportedTime(detail, type, mail);
        Instant at = reported != null ? reported : clock.instant();

        // The person's event and the suppressions come before the message's mark: each is idempotent (the event is stored
        // once under its delivery key, an address suppressed twice is suppressed), so an instance stopped after them and
        // before the mark does them again harmlessly on the redelivery, where marking first lost the person's event for good.
        // What counts (soft bounces, the daily counters) comes after the mark, once.
        // read only for the events that reach the person (a bounce, a complaint, an open, a click, an unsubscribe): a Send or
        // a Delivery, most of a month's SES events, only marks its message and counts
        Lazy<Optional<Contact>> contact = Lazy.of(() -> contacts.current(shopId, contactId));
        ObjectNode props = Json.object().put("message_id", messageId);
        for (String name : List.of("template", "journey", "campaign", "step", "variant")) {
            String value = tag(tags, name);
            if (value != null) props.put(name, value);
        }
        // the sender counts what it sent as it records it (EmailSending): SES's Send event is for a claim still open, where
        // it is the evidence an abandoned claim is settled by, and on a message recorded as sent it writes nothing
        if (type.equals("Send")) {
            Optional<MessageRecord> message = messages.get(shopId, contactId, messageId);
            if (message.isPresent() && message.get().status() != MessageRecord.Status.sending) return Outcome.HANDLED;
        }
        String key = "ses:" + eventId;
        JsonNode bounce = detail.path("bounce");
        boolean permanent = "Permanent".equals(Json.text(bounce, "bounceType"));
        String bounceText = Json.text(bounce, "bounceType") + "/" + Json.text(bounce, "bounceSubType");
        switch (type) {
            case "Bounce" -> {
                if (permanent) {
                    for (String address : recipients(bounce.path("bouncedRecipients"))) {
                        suppressions.suppress(shopId, new Suppressions.Suppression(address, "bounced", bounceText + diagnostic(bounce, address), at));
                    }
                }
                props.put("bounce_type", Json.text(bounce, "bounceType")).put("bounce_sub_type", Json.text(bounce, "bounceSubType"));
                contact.get().ifPresent(c -> events.recordReported(shopId, key, c, "Email Bounced", props, null, reported));
            }
            case "Complaint" -> {
                JsonNode complaint = detail.path("complaint");
                String feedback = Json.text(complaint, "complaintFeedbackType");
                for (String address : recipients(complaint.path("complainedRecipients"))) {
                    suppressions.suppress(shopId, new Suppressions.Suppression(address, "complained",
                            "spam complaint" + (feedback != null ? " (" + feedback + ")" : ""), at));
                }
                // the withdrawal is stated now, so it overrides any consent given before it arrived
                contact.get().ifPresent(c -> events.recordReported(shopId, key, c, "Email Complained", props,
                        new ConsentChange(ConsentChange.EMAIL_MARKETING, ConsentChange.State.withdrawn, null, clock.instant(),
                                "spam complaint on email " + messageId), reported));
            }
            case "Open" -> contact.get().ifPresent(c -> {
                if (machineOpen(detail.path("open"))) props.put("machine_open", true);
                events.recordReported(shopId, key, c, "Email Opened", props, null, reported);
            });
            case "Click" -> contact.get().ifPresent(c -> {
                props.put("url", Json.text(detail.path("click"), "link"));
                events.recordReported(shopId, key, c, "Email Link Clicked", props, null, reported);
            });
            case "Subscription" -> {
                boolean unsubscribedAll = detail.path("subscription").path("newTopicPreferences").path("unsubscribeAll").asBoolean(false);
                if (unsubscribedAll) contact.get().ifPresent(c -> events.recordReported(shopId, key, c, "Email Unsubscribed", props,
                        new ConsentChange(ConsentChange.EMAIL_MARKETING, ConsentChange.State.withdrawn, null, clock.instant(),
                                "unsubscribed through SES subscription management, email " + messageId), reported));
            }
            default -> { } // Send, Delivery, Reject, DeliveryDelay, Rendering Failure: the log and the counters
        }

        // its count rides on the mark: decided once by it, and added to the day's counters from the table's stream, with
        // the batch's others (counted(), which then looks at the bounce and complaint rates)
        String source = EmailStats.source(tag(tags, "journey"), tag(tags, "campaign"), tag(tags, "template"));
        MessageStore.Counted count = EmailStats.counted(LocalDate.ofInstant(at, ZoneOffset.UTC),
                new EmailStats.Key(source, tag(tags, "step"), tag(tags, "variant")), Map.of(type.toLowerCase(Locale.ROOT).replace(" ", "_"), 1L));
        boolean first = messages.engagement(shopId, contactId, messageId, eventId, type, at, count);
        if (!first && messages.get(shopId, contactId, messageId).isPresent()) return Outcome.REPEAT;
        if (type.equals("Bounce") && !permanent) {
            int limit = email.current(shopId).settings().softBounceLimit();
            for (String address : recipients(bounce.path("bouncedRecipients"))) {
                if (suppressions.softBounce(shopId, address, at) >= limit) {
                    suppressions.suppress(shopId, new Suppressions.Suppression(address, "soft_bounces", limit + " soft bounces, the last " + bounceText, at));
                }
            }
        }
        return Outcome.HANDLED;
    }

    /**
     * Adds what a batch of the table's stream shows counted on messages' marks (SES's events, texts' receipts and taps),
     * all together: one transaction a batch, where each event was a write of the day's counters. A batch with a bounce or
     * a complaint is when a rate can pass its threshold: the guard looks then, at the counts with the batch's in them.
     */
    public void counted(Map<String, List<MessageStore.Counted>> byShop) {
        if (byShop.isEmpty()) return;
        stats.addTogether(byShop);
        byShop.forEach((shopId, counts) -> {
            if (counts.stream().anyMatch(c -> c.counts().containsKey("bounce") || c.counts().containsKey("complaint"))) guard.check(shopId);
        });
    }

    /**
     * An open a mail client's privacy proxy made by prefetching the images, not the person: Apple
     * Mail Privacy Protection fetches from Apple's network (17.0.0.0/8) with a bare "Mozilla/5.0".
     * SES reports such opens like any other; attribution leaves them out.
     */
    static boolean machineOpen(JsonNode open) {
        String ip = Json.text(open, "ipAddress");
        String agent = Json.text(open, "userAgent");
        return (ip != null && ip.startsWith("17.")) || "Mozilla/5.0".equals(agent);
    }

    private static String tag(JsonNode tags, String name) {
        JsonNode values = tags.path(name);
        if (values.isArray() && !values.isEmpty()) return values.get(0).asText();
        return values.isTextual() ? values.asText() : null;
    }

    private static List<String> recipients(JsonNode list) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode r : list) {
            String address = Json.text(r, "emailAddress");
            if (address != null && Identity.looksLikeEmail(address)) addresses.add(Identity.normaliseEmail(address));
        }
        return addresses;
    }

    private static String diagnostic(JsonNode bounce, String address) {
        for (JsonNode r : bounce.path("bouncedRecipients")) {
            if (address.equalsIgnoreCase(Json.text(r, "emailAddress")) && Json.text(r, "diagnosticCode") != null) {
                return ": " + Json.text(r, "diagnosticCode");
            }
        }
        return "";
    }

    /**
     * When the event happened, as each delivery of it says: its own timestamp (bounce.timestamp, open.timestamp …), else
     * the email's; null when SES gave neither.
     */
    private static Instant reportedTime(JsonNode detail, String type, JsonNode mail) {
        String field = switch (type) {
            case "Rendering Failure" -> "failure";
            case "DeliveryDelay" -> "deliveryDelay";
            default -> Character.toLowerCase(type.charAt(0)) + type.substring(1);
        };
        Instant at = Times.parseOrNull(Json.text(detail.path(field), "timestamp"));
        return at != null ? at : Times.parseOrNull(Json.text(mail, "timestamp"));
    }
}
