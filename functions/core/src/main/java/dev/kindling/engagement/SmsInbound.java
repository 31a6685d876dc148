package dev.kindling.engagement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Consent;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.email.EmailSettings;
import dev.kindling.email.ShopEmail;
import dev.kindling.event.ConsentChange;
import dev.kindling.ingest.KindlingEvents;
import dev.kindling.json.Json;
import dev.kindling.send.EmailSending;
import dev.kindling.send.MessageRecord;
import dev.kindling.send.MessageStore;
import dev.kindling.send.SendRequest;
import dev.kindling.send.Suppressions;
import dev.kindling.send.TextedNumbers;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import dev.kindling.sms.Phones;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What comes back from End User Messaging through its SNS topic: texts people send to the shop's number, and delivery
 * receipts of the texts sent. A STOP (or STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) withdraws the person's SMS consent at
 * once, with the message as the ledger's evidence, and keeps the number from every further text; START or UNSTOP gives
 * it back only to someone whose consent a STOP took; HELP is answered with the shop's help text; anything else is an
 * {@value #RECEIVED} event, for scoring, segments and journeys. A number belongs, per shop, to the person last texted
 * at it ({@link TextedNumbers}): every shop that texted it hears the reply, as the origination identity is theirs alike.
 */
public final class SmsInbound {
    public static final String RECEIVED = "SMS Received";
    public static final String UNSUBSCRIBED = "SMS Unsubscribed";
    public static final String RESUBSCRIBED = "SMS Resubscribed";
    /** The suppression reason of a number that sent STOP: kept off every text until it sends START. */
    public static final String OPTED_OUT = Suppressions.SMS_OPT_OUT;
    /** The default template a HELP is answered with; it prints the shop's help text. */
    public static final String HELP_TEMPLATE = "sms-help";
    /** The opt-out keywords (End User Messaging's own; its opt-out list takes the number on them too). */
    public static final Set<String> STOP = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    /** The opt-in keywords that take a number off the opt-out list. */
    public static final Set<String> START = Set.of("START", "UNSTOP");
    static final Set<String> HELP = Set.of("HELP");
    /** The answer to a sign-up form's confirmation text (the shop's SMS double opt-in). */
    static final Set<String> CONFIRM = Set.of("YES", "Y");
    public static final String CONFIRMED = "SMS Subscription Confirmed";
    /** The start of every ledger entry a keyword made: START looks for it to know a STOP took the consent. */
    static final String KEYWORD_EVIDENCE = "sms keyword ";
    /** The most of a received text kept on its event (End User Messaging's limit for one message). */
    static final int MAX_BODY = 1_600;

    public enum Outcome { STOPPED, STARTED, CONFIRMED, HELPED, RECEIVED, RECEIPT, UNKNOWN_NUMBER, NOT_OURS }

    /** An inbound text as End User Messaging publishes it. */
    public record InboundText(String originationNumber, String destinationNumber, String messageKeyword, String messageBody,
                              String inboundMessageId, String previousPublishedMessageId) {
        static InboundText of(JsonNode json) {
            return new InboundText(Json.text(json, "originationNumber"), Json.text(json, "destinationNumber"), Json.text(json, "messageKeyword"),
                    Json.text(json, "messageBody"), Json.text(json, "inboundMessageId"), Json.text(json, "previousPublishedMessageId"));
        }

        /** The keyword of an inbound text's JSON (see {@link #keyword()}). */
        public static String keywordOf(JsonNode json) {
            return of(json).keyword();
        }

        /** The keyword: the body's first word in capitals (carriers match it so), else what End User Messaging matched. */
        String keyword() {
            String body = messageBody == null ? "" : messageBody.strip();
            String first = body.isEmpty() ? (messageKeyword == null ? "" : messageKeyword) : body.split("\\s+", 2)[0];
            return first.replaceAll("[^\\p{L}\\p{N}]", "").toUpperCase(Locale.ROOT);
        }
    }

    private final ShopDirectory shops;
    private final ContactStore contacts;
    private final TextedNumbers numbers;
    private final Suppressions suppressions;
    private final MessageStore messages;
    private final KindlingEvents events;
    private final ShopEmail email;
    private final EmailSending sending;
    private final Clock clock;

    public SmsInbound(ShopDirectory shops, ContactStore contacts, TextedNumbers numbers, Suppressions suppressions, MessageStore messages,
                      KindlingEvents events, ShopEmail email, EmailSending sending, Clock clock) {
        this.shops = shops;
        this.contacts = contacts;
        this.numbers = numbers;
        this.suppressions = suppressions;
        this.messages = messages;
        this.events = events;
        this.email = email;
        this.sending = sending;
        this.clock = clock;
    }

    /** One message from the topic: an inbound text, or a delivery receipt (it has an {@code eventType}). */
    public List<Outcome> handle(JsonNode message) {
        if (message == null || !message.isObject()) throw new IllegalArgumentException("an SMS message must be a JSON object");
        if (message.has("eventType")) return List.of(receipt(message));
        InboundText text = InboundText.of(message);
        List<String> missing = new ArrayList<>();
        if (text.originationNumber() == null) missing.add("originationNumber");
        if (text.inboundMessageId() == null) missing.add("inboundMessageId");
        if (text.messageBody() == null && text.messageKeyword() == null) missing.add("messageBody");
        if (!missing.isEmpty()) throw new IllegalArgumentException("an inbound text needs " + String.join(", ", missing));
        String number = Phones.e164(text.originationNumber(), null)
                .orElseThrow(() -> new IllegalArgumentException("originationNumber: not a phone number in E.164 (+14155550123)"));
        if (text.inboundMessageId().length() > 128) throw new IllegalArgumentException("inboundMessageId: at most 128 characters");
        List<Outcome> outcomes = new ArrayList<>();
        for (String shopId : shops.ids()) {
            Optional<Contact> contact = numbers.contactOf(shopId, number).flatMap(id -> contacts.current(shopId, id));
            if (contact.isEmpty()) continue;
            outcomes.add(fromPerson(shops.byId(shopId).orElseThrow(), contact.get(), number, text));
        }
        return outcomes.isEmpty() ? List.of(Outcome.UNKNOWN_NUMBER) : outcomes;
    }

    private Outcome fromPerson(Shop shop, Contact contact, String number, InboundText text) {
        Instant now = clock.instant();
        String keyword = text.keyword();
        String key = "sms-inbound:" + text.inboundMessageId();
        ObjectNode properties = Json.object().put("keyword", keyword).put("inbound_message_id", text.inboundMessageId())
                .put("body", bounded(text.messageBody()));
        String evidence = KEYWORD_EVIDENCE + keyword + ", inbound text " + text.inboundMessageId() + " from " + Phones.masked(number)
                + ": \"" + bounded(text.messageBody()).replaceAll("\\s+", " ") + "\"";
        if (STOP.contains(keyword)) {
            suppressions.suppress(shop.id(), new Suppressions.Suppression(number, OPTED_OUT, keyword, now));
            // a person known only by an anonymous id cannot be named in an event: the number's suppression alone stops their texts
            if (!contact.isKnown()) return Outcome.STOPPED;
            events.record(shop.id(), key, contact, UNSUBSCRIBED, properties,
                    new ConsentChange(ConsentChange.SMS_MARKETING, ConsentChange.State.withdrawn, null, now, trimmed(evidence)), null, now);
            return Outcome.STOPPED;
        }
        if (!contact.isKnown()) return Outcome.RECEIVED;
        Consent current = contact.consent().get(ConsentChange.SMS_MARKETING);
        if (START.contains(keyword)) {
            boolean stoppedByText = current != null && current.state() == ConsentChange.State.withdrawn && current.evidence() != null
                    && current.evidence().startsWith(KEYWORD_EVIDENCE);
            suppressions.get(shop.id(), number).filter(s -> OPTED_OUT.equals(s.reason())).ifPresent(s -> suppressions.remove(shop.id(), number));
            // consent comes back only where a STOP took it: a START from someone who never agreed to texts agrees to nothing
            events.record(shop.id(), key, contact, stoppedByText ? RESUBSCRIBED : RECEIVED, properties, stoppedByText
                    ? new ConsentChange(ConsentChange.SMS_MARKETING, ConsentChange.State.granted, "single_opt_in", now, trimmed(evidence)) : null, null, now);
            return stoppedByText ? Outcome.STARTED : Outcome.RECEIVED;
        }
        if (CONFIRM.contains(keyword) && current != null && current.state() == ConsentChange.State.pending) {
            // the reply the confirmation text asked for: the person, from the number, says yes
            events.record(shop.id(), key, contact, CONFIRMED, properties,
                    new ConsentChange(ConsentChange.SMS_MARKETING, ConsentChange.State.granted, "confirmed_opt_in", now, trimmed(evidence)), null, now);
            return Outcome.CONFIRMED;
        }
        if (HELP.contains(keyword)) {
            EmailSettings settings = email.current(shop.id()).settings();
            ObjectNode context = Json.object();
            ObjectNode data = context.putObject("data"); // the template says how to stop when the shop wrote no help text
            if (settings.sms().helpText() != null) data.put("help_text", settings.sms().helpText());
            sending.send(new SendRequest(shop.id(), contact.contactId(), HELP_TEMPLATE, SendRequest.Kind.transactional, key, context,
                    SendRequest.Tags.NONE, null));
            events.record(shop.id(), key, contact, RECEIVED, properties, null, null, now);
            return Outcome.HELPED;
        }
        events.record(shop.id(), key, contact, RECEIVED, properties, null, null, now);
        return Outcome.RECEIVED;
    }

    /** A delivery receipt: recorded once on its message (found by the context the send gave it), by its event type. */
    private Outcome receipt(JsonNode receipt) {
        JsonNode context = receipt.path("context");
        String shopId = Json.text(context, "shop"), contactId = Json.text(context, "contact"), messageId = Json.text(context, "message");
        String type = Json.text(receipt, "eventType");
        if (shopId == null || contactId == null || messageId == null || type == null || shops.byId(shopId).isEmpty()) return Outcome.NOT_OURS;
        Instant at = receipt.hasNonNull("eventTimestamp") ? Instant.ofEpochMilli(receipt.get("eventTimestamp").asLong()) : clock.instant();
        String eventId = Json.text(receipt, "messageId") + ":" + type;
        // kept on the message as TextDelivered, TextBlocked …, beside SES's Delivery, Open …; a final receipt counted once
        // with the mark, under the journey or campaign that sent it, with what AWS says the text cost (TEXT_QUEUED comes
        // within seconds of the send and is not an outcome: it shows End User Messaging took the text, a claim its sender
        // abandoned is settled by it, and is counted nowhere)
        MessageStore.Counted count = null;
        if (receipt.path("isFinal").asBoolean(true)) {
            // the message's key is read only for a receipt that counts (TEXT_QUEUED reads nothing, as before)
            Optional<MessageRecord> message = messages.get(shopId, contactId, messageId);
            if (message.isEmpty()) return Outcome.RECEIPT; // not ours
            Map<String, Long> counters = new LinkedHashMap<>();
            counters.put(EmailStats.TEXT + (DELIVERED.contains(type) ? "delivered" : "failed"), 1L);
            long segments = receipt.path("totalMessageParts").asLong(0);
            long carrier = microDollars(receipt.path("totalCarrierFee"));
            long price = microDollars(receipt.path("totalMessagePrice")) + carrier;
            if (segments > 0) counters.put(EmailStats.TEXT + "segments", segments);
            if (price > 0) counters.put(EmailStats.TEXT + "price_microusd", price);
            if (carrier > 0) counters.put(EmailStats.TEXT + "carrier_fee_microusd", carrier);
            count = EmailStats.counted(LocalDate.ofInstant(at, ZoneOffset.UTC), EmailStats.Key.of(message.get()), counters);
        }
        messages.engagement(shopId, contactId, messageId, eventId, engagementName(type), at, count); // false: seen before
        return Outcome.RECEIPT;
    }

    /** TEXT_DELIVERED as the message log names it: TextDelivered. */
    static String engagementName(String type) {
        StringBuilder name = new StringBuilder();
        for (String word : type.toLowerCase(Locale.ROOT).split("_")) {
            if (!word.isEmpty()) name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return name.toString();
    }

    /** The receipt types that say a text reached the phone (or the carrier, where no handset receipt comes). */
    static final Set<String> DELIVERED = Set.of("TEXT_DELIVERED", "TEXT_SUCCESSFUL");

    private static long microDollars(JsonNode usd) {
        if (!usd.isNumber() && !usd.isTextual()) return 0;
        try {
            return new BigDecimal(usd.asText()).movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValue();
        } catch (NumberFormatException | ArithmeticException notAPrice) {
            return 0;
        }
    }

    private static String bounded(String body) {
        if (body == null) return "";
        return body.length() <= MAX_BODY ? body : body.substring(0, MAX_BODY);
    }

    private static String trimmed(String evidence) {
        return evidence.length() <= 400 ? evidence : evidence.substring(0, 399) + "…";
    }
}
