package dev.kindling.send;

import dev.kindling.shop.LinkTokens;
import dev.kindling.contact.Consent;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.email.EmailSettings;
import dev.kindling.email.EmailTemplate;
import dev.kindling.email.SenderIdentity;
import dev.kindling.email.ShopEmail;
import dev.kindling.email.TemplateError;
import dev.kindling.email.TemplateLibrary;
import dev.kindling.event.ConsentChange;
import dev.kindling.send.MessageRecord.Status;
import dev.kindling.send.SendRequest.Kind;
import dev.kindling.shop.Shop;
import dev.kindling.shop.Signatures;
import dev.kindling.shop.ShopDirectory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import dev.kindling.coupon.Coupon;
import dev.kindling.coupon.CouponCodes;
import dev.kindling.coupon.PlatformCodes;
import dev.kindling.sms.Phones;
import dev.kindling.sms.SmsText;

/**
 * Sends one message, an email or a text (the template's type decides), or says why not. The checks run in this order:
 * suppression (also for transactional mail), the deliverability guard's pause (marketing email only), marketing
 * consent (email's, or SMS's own), the topic, the frequency cap (the shop's across channels, and SMS's own for a text),
 * quiet hours (SMS's own for a text). Then the message is rendered, claimed in the log and, for an email, a send slot
 * taken under the account's rate before SES is called: a retry or a concurrent call with the same idempotency key gets
 * the first result and never a second message. Every outcome lands in the message log.
 */
public final class EmailSending {
    /** Prefix of the consent purpose that records a preference-centre topic. */
    public static final String TOPIC_PURPOSE = "email_topic:";
    static final int THROTTLE_RETRIES = 3;
    static final Duration THROTTLED_DEFER = Duration.ofMinutes(1);
    /**
     * When a claim counts as abandoned. A live sender calls the provider for the last time within about 70 seconds of its
     * claim (a send slot within {@code maxWait}, 5 s on Lambda, then at most three calls of at most 20 s each, as the
     * clients are configured); SES publishes its Send event within seconds of taking a message. Ten minutes leaves the
     * margin for EventBridge's retries of a failing engagement function. The window that remains: SES took the message
     * and its Send event was not recorded within these ten minutes (the engagement function failing all that time); the
     * message is then sent twice. SES v2's SendEmail takes no idempotency token and has no call that looks a message up,
     * so its event stream is the only evidence there is, and this window the smallest it allows.
     */
    static final Duration ABANDONED_CLAIM = Duration.ofMinutes(10);
    /** Sends are spaced for 98% of the rate, so a late wake-up never puts more than the rate into one second. */
    static final double RATE_HEADROOM = 0.98;
    /** How often a send waiting for its slot looks at the clock again (real time). */
    private static final Duration SLOT_POLL = Duration.ofMillis(5);

    /**
     * @param publicBaseUrl    where the email pages are served (unsubscribe, preferences, view in browser)
     * @param sender           the From when a shop's settings name none, and the SES identity every From must be on
     * @param configurationSet the SES configuration set (event publishing, open and click tracking)
     * @param maxSendRate      emails per second; null: the account's rate as SES reports it
     * @param maxWait          the longest a send waits for its slot; beyond it the send is deferred
     * @param maxTextRate      texts per second the origination identity takes (its MPS); null: unpaced (End User
     *                         Messaging's throttling is retried, then the text deferred)
     */
    public record Config(String publicBaseUrl, SenderIdentity sender, String configurationSet, Double maxSendRate, Duration maxWait,
                         Double maxTextRate) {
        /** Email's configuration, texts unpaced. */
        public Config(String publicBaseUrl, SenderIdentity sender, String configurationSet, Double maxSendRate, Duration maxWait) {
            this(publicBaseUrl, sender, configurationSet, maxSendRate, maxWait, null);
        }
    }

    /**
     * What texts need beside email's parts: where they go, whose each number is, their short links, and the origination
     * identity's own pace (a slot of its own, as the account's SES rate has).
     */
    public record Texts(SmsSender sender, TextedNumbers numbers, ShortLinks links, SendRate rate) {}

    private final ShopDirectory shops;
    private final ContactStore contacts;
    private final ShopEmail email;
    private final MessageStore messages;
    private final Suppressions suppressions;
    private final SentCount sentCount;
    /** The count a caller of {@link #send(SendRequest, SentCount)} gathers this thread's sends in, while it sends. */
    private final ThreadLocal<SentCount> gathering = new ThreadLocal<>();
    private final SendRate rate;
    private final EmailSender sender;
    private final EmailVariables variables;
    private final LinkTokens tokens;
    private final Texts texts;
    private final CouponCodes coupons;
    private final PlatformCodes platformCodes = new PlatformCodes();
    private final Clock clock;
    private final Config config;
    private volatile Double accountRate;

    /** @param sentCount where the emails SES took are counted (its Send events count only a claim still open then) */
    public EmailSending(ShopDirectory shops, ContactStore contacts, ShopEmail email, MessageStore messages, Suppressions suppressions,
                        SentCount sentCount, SendRate rate, EmailSender sender, EmailVariables variables, LinkTokens tokens, Texts texts,
                        CouponCodes coupons, Clock clock, Config config) {
        this.shops = shops;
        this.contacts = contacts;
        this.email = email;
        this.messages = messages;
        this.suppressions = suppressions;
        this.sentCount = sentCount;
        this.rate = rate;
        this.sender = sender;
        this.variables = variables;
        this.tokens = tokens;
        this.texts = texts;
        this.coupons = coupons;
        this.clock = clock;
        this.config = config;
    }

    /** The message id a key stands for: the same key always names the same message. */
    public static String messageId(String shopId, String idempotencyKey) {
        return "m" + Signatures.sha256Hex(shopId + "\n" + idempotencyKey).substring(0, 24);
    }

    /** A text's message id: its first letter tells the send ledger, where the caps count, a text from an email. */
    static String textId(String shopId, String idempotencyKey) {
        return TEXT_PREFIX + messageId(shopId, idempotencyKey).substring(1);
    }

    static final String TEXT_PREFIX = "t";

    /**
     * What became of the message of this key so far, if it was tried: a campaign asks before a later pass of the same run
     * (another of its segments, another hour at each contact's best time) sends or counts the person again.
     */
    public Optional<Status> outcome(String shopId, String contactId, String idempotencyKey, String channel) {
        String id = EmailTemplate.SMS.equals(channel) ? textId(shopId, idempotencyKey) : messageId(shopId, idempotencyKey);
        return messages.get(shopId, contactId, id).map(MessageRecord::status);
    }

    /**
     * As {@link #send(SendRequest)}, an email SES took counted by {@code counted} instead of at once: a caller that sends
     * many (a campaign's page) adds their counts together at its end.
     */
    public SendResult send(SendRequest request, SentCount counted) {
        SentCount before = gathering.get();
        gathering.set(counted);
        try {
            return send(request);
        } finally {
            gathering.set(before);
        }
    }

    public SendResult send(SendRequest request) {
        Shop shop = shops.byId(request.shopId()).orElseThrow(() -> new IllegalArgumentException("unknown shop " + request.shopId()));
        // one read of the shop's email version per send: the snapshot serves the checks of every attempt below
        ShopEmail.Snapshot snapshot = email.current(shop.id());
        boolean text = snapshot.templates().get(request.templateId()).map(t -> EmailTemplate.SMS.equals(t.typeOrEmail())).orElse(false);
        String messageId = text ? textId(shop.id(), request.idempotencyKey()) : messageId(shop.id(), request.idempotencyKey());
        String channel = text ? EmailTemplate.SMS : EmailTemplate.EMAIL;
        boolean marketing = request.kind() == Kind.marketing;
        for (int attempt = 0; attempt < 8; attempt++) {
            // a marketing send's ledger (the frequency cap's, written at the version read) with the message, in one read; read
            // even when the cap is off: the send is still counted in it
            MessageStore.Prior prior = messages.prior(shop.id(), request.contactId(), messageId, marketing);
            Optional<MessageRecord> existing = prior.message();
            if (existing.isPresent()) {
                if (existing.get().status().isFinal()) return existing.get().result();
                if (existing.get().status() == Status.sending) {
                    Optional<SendResult> other = awaitOther(shop.id(), request.contactId(), messageId);
                    if (other.isPresent()) return other.get();
                    continue; // an abandoned claim SES never took was reopened: it is sent now
                }
            }
            MessageRecord base = existing.orElse(MessageRecord.pending(shop.id(), request.contactId(), messageId, request.idempotencyKey(),
                    request.templateId(), request.kind(), request.tags()));
            if (text) base = base.toBuilder().channel(MessageRecord.SMS).build();
            if (request.channel() != null && !request.channel().equals(channel)) {
                // a journey step or campaign says one channel and its template is the other's: nothing goes out, and the log says why
                return conclude(base, Status.failed, "wrong_channel: this sends " + (request.channel().equals(EmailTemplate.SMS) ? "a text" : "an email")
                        + " and " + request.templateId() + " is " + (text ? "an sms" : "an email") + " template", null, clock.instant());
            }
            Optional<SendResult> done = text ? textAttempt(shop, request, base, snapshot, prior.ledger()) : attempt(shop, request, base, snapshot, prior.ledger());
            if (done.isPresent()) return done.get();
        }
        throw new IllegalStateException("the send ledger of contact " + request.contactId() + " kept changing; try again");
    }

    /**
     * One pass through the checks; empty when the frequency ledger moved under us and the checks must run again.
     *
     * @param ledger the send ledger as read with the message (marketing mail; null for transactional, which claims none)
     */
    private Optional<SendResult> attempt(Shop shop, SendRequest request, MessageRecord base, ShopEmail.Snapshot snapshot, MessageStore.Ledger ledger) {
        Instant now = clock.instant();
        EmailSettings settings = snapshot.settings();
        TemplateLibrary library = snapshot.templates();
        Optional<EmailTemplate> template = library.get(request.templateId()).filter(t -> EmailTemplate.EMAIL.equals(t.typeOrEmail()));
        if (template.isEmpty()) return Optional.of(conclude(base, Status.failed, "unknown_template: " + request.templateId(), null, now));
        String topic = request.topic() != null ? request.topic() : template.get().topic();
        MessageRecord record = base.withTopic(topic);

        Optional<Contact> found = contacts.current(shop.id(), request.contactId());
        if (found.isEmpty()) return Optional.of(conclude(record, Status.skipped, "no_contact", null, now));
        Contact contact = found.get();
        if (contact.email() == null) return Optional.of(conclude(record, Status.skipped, "no_email", null, now));
        record = record.withDelivery(contact.email(), null);

        Optional<Suppressions.Suppression> suppressed = suppressions.get(shop.id(), contact.email());
        if (suppressed.isPresent()) return Optional.of(conclude(record, Status.skipped, suppressed.get().reason(), null, now));

        boolean marketing = request.kind() == Kind.marketing;
        if (marketing) {
            // the deliverability guard paused the shop's marketing email (bounce or complaint rate too high): nothing goes out
            if (snapshot.marketingPaused() != null) return Optional.of(conclude(record, Status.skipped, "marketing_paused", null, now));
            String refused = consentRefusal(contact, topic);
            if (refused != null) return Optional.of(conclude(record, Status.skipped, refused, null, now));
            Instant capFrees = request.pacing().frequencyCap() ? capFreesAt(ledger, settings.frequencyCap(), record.messageId(), now, id -> true) : null;
            if (capFrees != null) {
                Instant retry = request.pacing().quietHours() ? outsideQuietHours(settings, EmailTemplate.EMAIL, contact, capFrees) : capFrees;
                return Optional.of(settings.frequencyCap().defers()
                        ? conclude(record, Status.deferred, "frequency_cap", retry, now)
                        : conclude(record, Status.skipped, "frequency_cap", null, now));
            }
            Instant quietUntil = request.pacing().quietHours() ? quietUntil(settings.quietHours(), contact, now) : null;
            if (quietUntil != null) return Optional.of(conclude(record, Status.deferred, "quiet_hours", quietUntil, now));
        }

        boolean referrals = settings.loyalty() != null && settings.loyalty().referral() != null;
        Map<String, String> links = links(shop, request, record.messageId(), topic, marketing, referrals);
        CouponCode coupon = coupon(shop, snapshot, request, record.messageId(), contact, now);
        if (coupon.refusal() != null) return Optional.of(conclude(record, Status.failed, coupon.refusal(), null, now));
        TemplateLibrary.Rendered rendered;
        try {
            Map<String, Object> vars = coupon.with(variables.build(shop, settings, template.get(), contact, request.context(), links, record.messageId()));
            SendRequest.Variation variation = request.variation();
            rendered = variation == null ? library.render(request.templateId(), vars)
                    : library.render(request.templateId(), vars, variation.subject(), variation.preheader());
        } catch (TemplateError e) {
            return Optional.of(conclude(record, Status.failed, "render_error: " + e.getMessage(), null, now));
        }
        record = record.withDelivery(contact.email(), rendered.subject());

        MessageRecord sending = record.next(Status.sending, null, null, null, clock.instant());
        switch (messages.claim(sending, ledger, clock.instant(), KeptLinks.kept(rendered.html(), links))) {
            case TAKEN -> { return awaitOther(shop.id(), request.contactId(), record.messageId()); }
            case LEDGER_MOVED -> { return Optional.empty(); }
            case CLAIMED -> { }
        }
        // the slot is taken last, right before SES is called, so the time between slot and send is only the wake-up
        SendResult refused = slotOrDefer(rate, sendRate(), sending);
        if (refused != null) return Optional.of(refused);
        EmailSender.OutgoingEmail outgoing = outgoing(shop, settings, request, record, rendered, links, marketing);
        return Optional.of(deliver(sending, () -> sender.send(outgoing)));
    }

    /**
     * One pass through a text's checks, as {@link #attempt} for an email: the person's number (E.164, valid), its
     * opt-out, SMS consent, the shop's cap across channels and SMS's own, SMS quiet hours; then the body is rendered,
     * named for the shop, given the opt-out line on the first marketing text to the person, measured in segments and
     * claimed before End User Messaging is called.
     */
    private Optional<SendResult> textAttempt(Shop shop, SendRequest request, MessageRecord base, ShopEmail.Snapshot snapshot, MessageStore.Ledger ledger) {
        Instant now = clock.instant();
        EmailSettings settings = snapshot.settings();
        EmailSettings.Sms sms = settings.sms();
        TemplateLibrary library = snapshot.templates();
        Optional<EmailTemplate> template = library.get(request.templateId()).filter(t -> EmailTemplate.SMS.equals(t.typeOrEmail()));
        if (template.isEmpty()) return Optional.of(conclude(base, Status.failed, "unknown_template: " + request.templateId(), null, now));
        MessageRecord record = base;

        Optional<Contact> found = contacts.current(shop.id(), request.contactId());
        if (found.isEmpty()) return Optional.of(conclude(record, Status.skipped, "no_contact", null, now));
        Contact contact = found.get();
        if (contact.traits().phone() == null) return Optional.of(conclude(record, Status.skipped, "no_phone", null, now));
        Optional<String> number = textNumber(contact, sms);
        if (number.isEmpty()) return Optional.of(conclude(record, Status.skipped, "invalid_phone", null, now));
        record = record.withDelivery(number.get(), null);

        Optional<Suppressions.Suppression> suppressed = suppressions.get(shop.id(), number.get());
        if (suppressed.isPresent()) return Optional.of(conclude(record, Status.skipped, suppressed.get().reason(), null, now));

        boolean marketing = request.kind() == Kind.marketing;
        boolean firstMarketing = false;
        if (marketing) {
            String refused = textConsentRefusal(contact);
            if (refused != null) return Optional.of(conclude(record, Status.skipped, refused, null, now));
            if (request.pacing().frequencyCap()) {
                Instant shopCap = capFreesAt(ledger, settings.frequencyCap(), record.messageId(), now, id -> true);
                Instant smsCap = capFreesAt(ledger, sms.frequencyCap(), record.messageId(), now, id -> id.startsWith(TEXT_PREFIX));
                Instant capFrees = shopCap == null ? smsCap : smsCap == null || shopCap.isAfter(smsCap) ? shopCap : smsCap;
                boolean defers = (shopCap == null || settings.frequencyCap().defers()) && (smsCap == null || sms.frequencyCap().defers());
                if (capFrees != null) {
                    Instant retry = request.pacing().quietHours() ? outsideQuietHours(settings, EmailTemplate.SMS, contact, capFrees) : capFrees;
                    return Optional.of(defers ? conclude(record, Status.deferred, "frequency_cap", retry, now)
                            : conclude(record, Status.skipped, "frequency_cap", null, now));
                }
            }
            Instant quietUntil = request.pacing().quietHours() ? quietUntil(settings.textQuietHours(), contact, now) : null;
            if (quietUntil != null) return Optional.of(conclude(record, Status.deferred, "quiet_hours", quietUntil, now));
            firstMarketing = !texts.numbers().marketingTexted(shop.id(), number.get());
        }

        CouponCode coupon = coupon(shop, snapshot, request, record.messageId(), contact, now);
        if (coupon.refusal() != null) return Optional.of(conclude(record, Status.failed, coupon.refusal(), null, now));
        String body;
        try {
            body = library.renderText(request.templateId(), coupon.with(variables.build(shop, settings, template.get(), contact, request.context(),
                    Map.of(), record.messageId())));
        } catch (TemplateError e) {
            return Optional.of(conclude(record, Status.failed, "render_error: " + e.getMessage(), null, now));
        }
        // every link a short tracked one: shorter (each segment is billed), and a tap counts as an email click does
        ShortLinks.Shortened shortened = texts.links().shorten(shop, config.publicBaseUrl(), body, request.contactId(), record.messageId());
        SmsText text = SmsText.of(composedText(senderName(shop, settings), shortened.body(), marketing, firstMarketing));
        record = record.withText(text.encoding().name(), text.segments()).toBuilder().links(shortened.codes()).build();
        if (text.segments() > sms.maxSegments()) {
            return Optional.of(conclude(record, Status.failed, "too_long: " + text.segments() + " segments (" + text.encoding()
                    + "); the shop's settings allow " + sms.maxSegments(), null, now));
        }

        MessageRecord sending = record.next(Status.sending, null, null, null, clock.instant());
        switch (messages.claim(sending, ledger, clock.instant(), text.body())) {
            case TAKEN -> { return awaitOther(shop.id(), request.contactId(), record.messageId()); }
            case LEDGER_MOVED -> { return Optional.empty(); }
            case CLAIMED -> { }
        }
        // whose number it is, before the text can draw a reply; that a marketing text went, once it went (the next has no STOP line)
        texts.numbers().remember(shop.id(), number.get(), request.contactId(), false);
        if (config.maxTextRate() != null) {
            SendResult refused = slotOrDefer(texts.rate(), config.maxTextRate(), sending);
            if (refused != null) return Optional.of(refused);
        }
        Map<String, String> context = new LinkedHashMap<>();
        context.put("shop", shop.id());
        context.put("contact", request.contactId());
        context.put("message", record.messageId());
        SmsSender.OutgoingText outgoing = new SmsSender.OutgoingText(record.messageId(), number.get(), text.body(), marketing, context);
        boolean markFirst = firstMarketing;
        return Optional.of(deliver(sending, () -> {
            try {
                String providerId = texts.sender().send(outgoing);
                if (markFirst) texts.numbers().remember(shop.id(), number.get(), request.contactId(), true);
                return providerId;
            } catch (EmailSender.Rejected rejected) {
                // AWS's opt-out list has the number: kept off every text here too, until it sends START
                if (String.valueOf(rejected.getMessage()).contains(SmsSender.OPTED_OUT)) {
                    suppressions.suppress(shop.id(), new Suppressions.Suppression(number.get(), Suppressions.SMS_OPT_OUT,
                            "on End User Messaging's opt-out list", clock.instant()));
                }
                throw rejected;
            }
        }));
    }

    /** A coupon's code for one send, as the template reads it ({@code coupon.code}, {@code coupon.expires_at} …), or why there is none. */
    private record CouponCode(Map<String, Object> variables, String refusal) {
        Map<String, Object> with(Map<String, Object> vars) {
            if (variables != null) vars.put("coupon", variables);
            return vars;
        }
    }

    /**
     * The code the send's coupon gives this send: taken from the pool under the send's key, so a retried or deferred send
     * carries the code it was given first, and two people never get one code. Taken after every check that could skip the
     * person, so nobody a message never reaches uses up a code.
     */
    private CouponCode coupon(Shop shop, ShopEmail.Snapshot snapshot, SendRequest request, String messageId, Contact contact, Instant now) {
        if (request.coupon() == null) return new CouponCode(null, null);
        Coupon coupon = snapshot.coupons().get(request.coupon());
        if (coupon == null) return new CouponCode(null, "unknown_coupon: " + request.coupon());
        SendRequest.Tags t = request.tags();
        CouponCodes.Giver giver = new CouponCodes.Giver(request.idempotencyKey(), request.contactId(), messageId, t.journey(), t.campaign(),
                t.step(), t.variant(), request.templateId());
        Optional<CouponCodes.Given> given = Coupon.POOL.equals(coupon.source()) ? coupons.give(shop.id(), coupon.id(), giver, now)
                : Optional.of(madeOnPlatform(shop, coupon, giver, contact, now));
        if (given.isEmpty()) return new CouponCode(null, "coupon_used_up: " + coupon.id() + " has no codes left; upload more");
        Instant expires = coupon.expiresAt(given.get().at());
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("code", given.get().code());
        vars.put("expires_at", expires.toString());
        vars.put("expires_on", expires.atZone(ZoneOffset.UTC).toLocalDate().toString());
        vars.put("name", coupon.name());
        if (coupon.percent() != null) vars.put("percent", coupon.percent().stripTrailingZeros().toPlainString());
        if (coupon.amount() != null) vars.put("amount", coupon.amount().toPlainString());
        if (coupon.currency() != null) vars.put("currency", coupon.currency());
        if (coupon.minimumOrder() != null) vars.put("minimum_order", coupon.minimumOrder().toPlainString());
        return new CouponCode(vars, null);
    }

    /**
     * A code made for this send on the shop's platform: the key's, if an earlier try recorded it; else made there (the
     * same code for the same key, so a try that made it and failed before recording it makes nothing twice) and recorded.
     */
    private CouponCodes.Given madeOnPlatform(Shop shop, Coupon coupon, CouponCodes.Giver giver, Contact contact, Instant now) {
        Optional<CouponCodes.Given> earlier = coupons.given(shop.id(), coupon.id(), giver.key());
        if (earlier.isPresent()) return earlier.get();
        String code = PlatformCodes.code(shop, coupon, giver.key());
        // a Shopify-sourced profile's user id is its Shopify customer id: the code is then that customer's alone
        String shopifyCustomer = contact.userId() != null && contact.userId().matches("\\d{1,20}") ? contact.userId() : null;
        platformCodes.make(shop, coupon, code, new PlatformCodes.Person(contact.email(), shopifyCustomer), now, coupon.expiresAt(now));
        return coupons.record(shop.id(), coupon.id(), code, giver, now);
    }

    /** The contact's number in E.164, read in their country (else the SMS settings' default); empty when it is not a number. */
    public static Optional<String> textNumber(Contact contact, EmailSettings.Sms sms) {
        String country = contact.traits().country();
        return Phones.e164(contact.traits().phone(), country != null && country.matches("[A-Za-z]{2}") ? country : sms.defaultCountry());
    }

    /** What the first marketing text to a person ends with (CTIA's guidelines ask for it, and carriers check). */
    public static final String OPT_OUT_LINE = "Reply STOP to opt out.";

    /** The text as it goes out: the shop's name first (unless the body starts with it), the opt-out line on the first marketing text. */
    public static String composedText(String senderName, String body, boolean marketing, boolean first) {
        String named = body.startsWith(senderName) ? body : senderName + ": " + body;
        return marketing && first && !named.contains("STOP") ? named + "\n" + OPT_OUT_LINE : named;
    }

    /** How texts name the shop: the SMS settings' sender name, else the brand's name, else the shop's. */
    public static String senderName(Shop shop, EmailSettings settings) {
        if (settings.sms().senderName() != null) return settings.sms().senderName();
        return settings.brand() != null && settings.brand().name() != null ? settings.brand().name() : shop.name();
    }

    /** Why a marketing text may not go to this contact, or null when it may: SMS consent is its own, never email's. */
    public static String textConsentRefusal(Contact contact) {
        Consent sms = contact.consent().get(ConsentChange.SMS_MARKETING);
        if (sms == null || sms.state() == ConsentChange.State.not_given) return "no_sms_consent";
        if (sms.state() == ConsentChange.State.pending) return "sms_consent_pending";
        if (sms.state() == ConsentChange.State.withdrawn) return "sms_unsubscribed";
        return null;
    }

    /**
     * Takes the next slot under {@code perSecond} and waits for it (null), or, when it is further off than the longest
     * wait, releases the claim and answers the send deferred to it (rate_limited).
     */
    private SendResult slotOrDefer(SendRate pace, double perSecond, MessageRecord sending) {
        SendRate.Slot slot = pace.reserve(perSecond * RATE_HEADROOM, config.maxWait());
        if (!slot.taken()) {
            MessageRecord later = sending.next(Status.deferred, "rate_limited", slot.at(), null, clock.instant());
            messages.finish(later, true);
            return later.result();
        }
        waitUntil(slot.at());
        return null;
    }

    private SendResult deliver(MessageRecord sending, Supplier<String> call) {
        for (int attempt = 0; ; attempt++) {
            try {
                String providerId = call.get();
                MessageRecord sent = sending.next(Status.sent, null, null, providerId, clock.instant());
                if (!messages.finish(sent, false)) countSent(sent);
                return sent.result();
            } catch (EmailSender.Throttled throttled) {
                if (attempt + 1 >= THROTTLE_RETRIES) {
                    MessageRecord later = sending.next(Status.deferred, "throttled: " + throttled.getMessage(), clock.instant().plus(THROTTLED_DEFER), null, clock.instant());
                    messages.finish(later, true);
                    return later.result();
                }
                sleep(Duration.ofMillis((200L << attempt) + ThreadLocalRandom.current().nextLong(100)));
            } catch (EmailSender.Rejected rejected) {
                MessageRecord failed = sending.next(Status.failed, "rejected: " + rejected.getMessage(), null, null, clock.instant());
                messages.finish(failed, true);
                return failed.result();
            } catch (RuntimeException unknown) {
                // SES may or may not have taken it: the claim stays, and a call with this key after ABANDONED_CLAIM settles it
                // by what SES did (its Send event), sending it then only if SES never had it
                return new SendResult(sending.messageId(), Status.deferred, "unknown_outcome: " + unknown.getMessage(),
                        sending.updatedAt().plus(ABANDONED_CLAIM).plusSeconds(1), null);
            }
        }
    }

    /** Records an outcome reached before claiming; if another sender got further meanwhile, its result stands. */
    private SendResult conclude(MessageRecord record, Status status, String reason, Instant until, Instant now) {
        MessageRecord outcome = record.next(status, reason, until, null, now);
        if (messages.record(outcome)) return outcome.result();
        // the other sender's claim was abandoned and is reopened now: this outcome is recorded over it
        return awaitOther(record.shopId(), record.contactId(), record.messageId()).orElseGet(() -> conclude(record, status, reason, until, now));
    }

    /**
     * Another call holds this message: wait briefly for its result. A claim older than {@link #ABANDONED_CLAIM} was
     * abandoned by its sender (a crash, a timeout) and is settled by what the provider did, not by a guess: an event the
     * provider published for the message (SES's Send, a text's receipt), or the provider's own answer where it can be
     * asked (the local outboxes), means it went, and the message is marked sent; no sign of it means it never reached the
     * provider, and the claim is reopened (empty) so this call sends it.
     */
    private Optional<SendResult> awaitOther(String shopId, String contactId, String messageId) {
        for (int i = 0; i < 25; i++) {
            Optional<MessageRecord> now = messages.get(shopId, contactId, messageId);
            if (now.isEmpty()) return Optional.empty();
            if (now.get().status() != Status.sending) return Optional.of(now.get().result());
            // abandoned: older than ABANDONED_CLAIM, and seen unchanged for a second of real time too (on a clock that runs
            // faster than real time, the local runtime's --speed, ten minutes pass in milliseconds while a live sender's
            // call still takes its real time)
            if (i >= 5 && now.get().updatedAt().isBefore(clock.instant().minus(ABANDONED_CLAIM))) {
                MessageRecord abandoned = now.get();
                Optional<String> took = providerTook(abandoned);
                if (took.isPresent()) {
                    MessageRecord sent = abandoned.next(Status.sent, "settled: " + took.get(), null,
                            took.get().startsWith(PROVIDER_ID) ? took.get().substring(PROVIDER_ID.length()) : null, clock.instant());
                    // settled here, and no Send event counted it while the claim was open: counted now
                    if (messages.settle(abandoned, sent, false)
                            && messages.get(shopId, contactId, messageId).filter(m -> !m.engagement().containsKey("Send")).isPresent()) {
                        countSent(sent);
                    }
                    continue; // whoever settled it first, the log now says sent
                }
                MessageRecord reopened = abandoned.next(Status.deferred, "interrupted: its sender stopped and the provider shows no sign of it "
                        + "after " + ABANDONED_CLAIM.toMinutes() + " minutes; sent again", clock.instant(), null, clock.instant());
                if (messages.settle(abandoned, reopened, true)) return Optional.empty();
                continue; // another call settled or reopened it first: read what it did
            }
            sleep(Duration.ofMillis(200));
        }
        return Optional.of(new SendResult(messageId, Status.deferred, "in_progress", clock.instant().plusSeconds(30), null));
    }

    private static final String PROVIDER_ID = "the provider has it as ";

    /** An email SES took, counted where this thread's caller gathers them, else at once (texts count their receipts). */
    private void countSent(MessageRecord sent) {
        if (MessageRecord.SMS.equals(sent.channel())) return;
        SentCount counted = gathering.get();
        (counted != null ? counted : sentCount).sent(sent);
    }

    /** Where the emails SES took are counted: the day's {@code send} counter of their journey, campaign or template. */
    @FunctionalInterface
    public interface SentCount {
        void sent(MessageRecord email);
    }

    /** What shows the provider took an abandoned claim's message, or empty when nothing does. */
    private Optional<String> providerTook(MessageRecord claim) {
        if (claim.engagement() != null && !claim.engagement().isEmpty()) {
            return Optional.of("the provider's " + String.join(", ", new TreeSet<>(claim.engagement().keySet())) + " event");
        }
        Optional<String> id = !MessageRecord.SMS.equals(claim.channel()) ? sender.accepted(claim.messageId())
                : texts != null ? texts.sender().accepted(claim.messageId()) : Optional.empty();
        return id.map(providerId -> PROVIDER_ID + providerId);
    }

    /** Why marketing mail may not go to this contact, or null when it may. */
    public static String consentRefusal(Contact contact, String topic) {
        Consent marketing = contact.consent().get(ConsentChange.EMAIL_MARKETING);
        if (marketing == null || marketing.state() == ConsentChange.State.not_given) return "no_consent";
        if (marketing.state() == ConsentChange.State.pending) return "consent_pending";
        if (marketing.state() == ConsentChange.State.withdrawn) return "unsubscribed";
        if (topic != null) {
            Consent topicConsent = contact.consent().get(TOPIC_PURPOSE + topic);
            if (topicConsent != null && topicConsent.state() == ConsentChange.State.withdrawn) return "unsubscribed_from_topic";
        }
        return null;
    }

    /** When the cap lets one more marketing email through, or null when it does now. */
    static Instant capFreesAt(MessageStore.Ledger ledger, EmailSettings.FrequencyCap cap, String messageId, Instant now, Predicate<String> counts) {
        Duration window = Duration.ofHours(cap.hours());
        List<Instant> recent = new ArrayList<>();
        ledger.sends().forEach((id, at) -> {
            if (!MessageStore.Ledger.isKeyOf(id, messageId) && counts.test(id) && at.isAfter(now.minus(window))) recent.add(at);
        });
        if (recent.size() < cap.count()) return null;
        recent.sort(Comparator.reverseOrder());
        return recent.get(cap.count() - 1).plus(window);
    }

    /**
     * The first moment from {@code at} when the shop's quiet hours (of the channel, {@code email} or {@code sms}) hold back
     * no marketing message to this person: {@code at} itself outside them. A journey's pause that would end inside them
     * ends at this instead, and a send deferred for the frequency cap is deferred to it: either would only be deferred
     * again when it woke, a turn and a pause (two state transitions) for nothing.
     */
    public static Instant outsideQuietHours(EmailSettings settings, String channel, Contact contact, Instant at) {
        Instant until = quietUntil(EmailTemplate.SMS.equals(channel) ? settings.textQuietHours() : settings.quietHours(), contact, at);
        return until == null ? at : until;
    }

    /** The end of quiet hours in the contact's time zone when now falls inside them, else null. */
    static Instant quietUntil(EmailSettings.QuietHours quiet, Contact contact, Instant now) {
        if (quiet == null || quiet.start() == null || quiet.end() == null) return null;
        ZoneId zone = contact.traits().zoneOr(quiet.defaultZone());
        LocalTime start = quiet.startTime();
        LocalTime end = quiet.endTime();
        ZonedDateTime local = now.atZone(zone);
        LocalTime t = local.toLocalTime();
        boolean quietNow = start.isAfter(end) ? (!t.isBefore(start) || t.isBefore(end)) : (!t.isBefore(start) && t.isBefore(end));
        if (!quietNow) return null;
        ZonedDateTime until = local.with(end);
        if (!until.isAfter(local)) until = until.plusDays(1);
        return until.toInstant();
    }

    private Map<String, String> links(Shop shop, SendRequest request, String messageId, String topic, boolean marketing, boolean referrals) {
        return links(shop, request.contactId(), messageId, topic, marketing, referrals);
    }

    private Map<String, String> links(Shop shop, String contactId, String messageId, String topic, boolean marketing, boolean referrals) {
        Map<String, String> links = new LinkedHashMap<>();
        String base = config.publicBaseUrl() + "/email/" + shop.id();
        if (marketing) {
            links.put("unsubscribe", base + "/unsubscribe?t=" + tokens.issue(shop, LinkTokens.Purpose.UNSUBSCRIBE, contactId, messageId, null));
            links.put("preferences", base + "/preferences?t=" + tokens.issue(shop, LinkTokens.Purpose.PREFERENCES, contactId, messageId, topic));
        }
        links.put("view_in_browser", base + "/view?t=" + tokens.issue(shop, LinkTokens.Purpose.VIEW, contactId, messageId, null));
        if (referrals) links.put("referral", referralLink(config.publicBaseUrl(), tokens, shop, contactId));
        return links;
    }

    /**
     * A body kept for "view in browser" as the page shows it: the message's own links, kept as their names
     * ({@link KeptLinks}), signed again for it (a referral link too, where the email had one). A body kept before that
     * holds its links as sent, and is shown as kept.
     */
    public String viewable(Shop shop, MessageRecord message, String kept) {
        boolean referral = kept.contains(KeptLinks.PREFIX + "referral");
        return KeptLinks.signed(kept, links(shop, message.contactId(), message.messageId(), message.topic(), message.kind() == Kind.marketing, referral));
    }

    /** A person's signed referral link: it hands friends the person's own referral code (engagement.ReferralLinks). */
    public static String referralLink(String publicBaseUrl, LinkTokens tokens, Shop shop, String contactId) {
        return publicBaseUrl + "/r/" + shop.id() + "?t=" + tokens.issue(shop, LinkTokens.Purpose.REFERRAL, contactId, null, null);
    }

    private EmailSender.OutgoingEmail outgoing(Shop shop, EmailSettings settings, SendRequest request, MessageRecord record,
                                               TemplateLibrary.Rendered rendered, Map<String, String> links, boolean marketing) {
        List<EmailSender.Header> headers = new ArrayList<>();
        if (marketing) {
            // RFC 8058: a one-click POST to this HTTPS URL unsubscribes; mailbox providers show their own button for it
            headers.add(new EmailSender.Header("List-Unsubscribe", "<" + links.get("unsubscribe") + ">"));
            headers.add(new EmailSender.Header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("shop", shop.id());
        tags.put("contact", request.contactId());
        tags.put("message", record.messageId());
        tags.put("template", request.templateId());
        tags.put("kind", request.kind().name());
        SendRequest.Tags t = request.tags();
        if (t.journey() != null) tags.put("journey", t.journey());
        if (t.campaign() != null) tags.put("campaign", t.campaign());
        if (t.step() != null) tags.put("step", t.step());
        if (t.variant() != null) tags.put("variant", t.variant());
        String from = config.sender().fromFor(settings);
        String fromName = request.variation() != null && request.variation().fromName() != null ? request.variation().fromName()
                : settings.fromName() != null ? settings.fromName()
                : settings.brand() != null && settings.brand().name() != null ? settings.brand().name() : shop.name();
        return new EmailSender.OutgoingEmail(record.messageId(), displayAddress(fromName, from), settings.replyTo(), record.to(),
                rendered.subject(), rendered.html(), rendered.text(), List.copyOf(headers), tags, config.configurationSet());
    }

    /** {@code "Name" <address>}, the name as an RFC 2047 encoded word when it is not plain ASCII. */
    static String displayAddress(String name, String address) {
        if (name == null || name.isBlank()) return address;
        String clean = name.replaceAll("[\\r\\n\"\\\\]", " ").strip();
        boolean ascii = clean.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        String shown = ascii ? "\"" + clean + "\"" : "=?UTF-8?B?" + Base64.getEncoder().encodeToString(clean.getBytes(StandardCharsets.UTF_8)) + "?=";
        return shown + " <" + address + ">";
    }

    /**
     * How many messages a second this channel's sends go out at most: emails at the account's SES rate (as slots are
     * spaced), texts at the origination identity's; null when texts are unpaced.
     */
    public Double pace(String channel) {
        if (EmailTemplate.SMS.equals(channel)) return config.maxTextRate() == null ? null : config.maxTextRate() * RATE_HEADROOM;
        return sendRate() * RATE_HEADROOM;
    }

    private double sendRate() {
        if (config.maxSendRate() != null) return config.maxSendRate();
        Double known = accountRate;
        if (known == null) accountRate = known = sender.maxSendRate();
        return known;
    }

    /**
     * Waits until the clock reaches {@code at}, and never longer in real time than the wait looked at first:
     * on a clock that runs faster than real time (the local runtime's --speed) the slot comes sooner in real
     * time, and a clock that stands still (tests moving it by hand) does not hold the send forever.
     */
    private void waitUntil(Instant at) {
        Duration wait = Duration.between(clock.instant(), at);
        long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
        while (clock.instant().isBefore(at) && System.nanoTime() < deadline) {
            sleep(Duration.ofNanos(Math.min(deadline - System.nanoTime(), SLOT_POLL.toNanos())));
        }
    }

    private static void sleep(Duration d) {
        if (d.isNegative() || d.isZero()) return;
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to send", e);
        }
    }
}
