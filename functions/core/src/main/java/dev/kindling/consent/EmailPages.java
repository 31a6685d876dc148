package dev.kindling.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.send.MessageRecord;
import dev.kindling.shop.LinkTokens;
import dev.kindling.shop.LinkTokens.Claims;
import dev.kindling.shop.LinkTokens.InvalidToken;
import dev.kindling.shop.LinkTokens.Purpose;
import dev.kindling.contact.Consent;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.contact.Identity;
import dev.kindling.email.EmailSettings;
import dev.kindling.email.ShopEmail;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.ConsentChange.State;
import dev.kindling.event.EventNames;
import dev.kindling.http.ApiException;
import dev.kindling.ratelimit.SignUpLimits;
import dev.kindling.http.Cors;
import dev.kindling.http.HtmlPage;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.ingest.Ingestor;
import dev.kindling.ingest.KindlingEvents;
import dev.kindling.json.Json;
import dev.kindling.loyalty.LoyaltyProgramme;
import dev.kindling.loyalty.Standings;
import dev.kindling.send.EmailSending;
import dev.kindling.send.MessageStore;
import dev.kindling.send.SendRequest;
import dev.kindling.send.SendResult;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import dev.kindling.sms.Phones;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pages behind the links in emails, and sign-up with double opt-in. Each link carries a
 * signed token ({@link LinkTokens}); a forged, edited or expired token changes nothing.
 *
 * <ul>
 * <li>{@code GET /email/{shop}/unsubscribe} asks to confirm; {@code POST} (a mailbox provider's
 *     RFC 8058 one-click, or the page's button) unsubscribes from marketing email at once.</li>
 * <li>{@code GET/POST /email/{shop}/preferences}: the preference centre (topics, or everything).</li>
 * <li>{@code POST /email/{shop}/subscribe}: a sign-up; sends the confirmation email when the shop
 *     asks for double opt-in, and records pending consent with its evidence.</li>
 * <li>{@code GET/POST /email/{shop}/confirm}: the confirmation (a button, so link scanners that
 *     open every link cannot confirm for the person).</li>
 * <li>{@code GET /email/{shop}/view}: the email as it was sent.</li>
 * </ul>
 * Every consent change is an event (source {@code kindling}) with the request's IP address and
 * user agent, so it lands in the consent ledger and on the bus.
 */
public final class EmailPages {
    static final int MAX_BODY_BYTES = 16 * 1024;
    public static final String DOUBLE_OPT_IN_TEMPLATE = "double-opt-in";

    private final ShopDirectory shops;
    private final ContactStore contacts;
    private final KindlingEvents events;
    private final ShopEmail email;
    private final MessageStore messages;
    private final EmailSending sending;
    private final LinkTokens tokens;
    private final Clock clock;
    private final String publicBaseUrl;

    private final SignUpLimits limits;

    private final Standings loyalty;

    public EmailPages(ShopDirectory shops, ContactStore contacts, KindlingEvents events, ShopEmail email, MessageStore messages,
                      EmailSending sending, LinkTokens tokens, Clock clock, String publicBaseUrl, SignUpLimits limits, Standings loyalty) {
        this.limits = limits;
        this.loyalty = loyalty;
        this.shops = shops;
        this.contacts = contacts;
        this.events = events;
        this.email = email;
        this.messages = messages;
        this.sending = sending;
        this.tokens = tokens;
        this.clock = clock;
        this.publicBaseUrl = publicBaseUrl;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET /email/{shopId}/unsubscribe", this::unsubscribePage),
                new Route("POST /email/{shopId}/unsubscribe", this::unsubscribe),
                new Route("GET /email/{shopId}/preferences", this::preferencesPage),
                new Route("POST /email/{shopId}/preferences", this::savePreferences),
                // a shop's sign-up form may post from its own site's pages (CORS)
                new Route("POST /email/{shopId}/subscribe", Cors.allowing(this::subscribe)),
                new Route("OPTIONS /email/{shopId}/subscribe", Cors::preflight),
                new Route("GET /email/{shopId}/confirm", this::confirmPage),
                new Route("POST /email/{shopId}/confirm", this::confirm),
                new Route("GET /email/{shopId}/view", this::view));
    }

    HttpResponse unsubscribePage(HttpRequest request) {
        Link link = link(request, Purpose.UNSUBSCRIBE);
        Consent marketing = link.contact.consent().get(ConsentChange.EMAIL_MARKETING);
        if (marketing != null && marketing.state() == State.withdrawn) {
            return HtmlPage.of(200, link.shop.name(), "You're unsubscribed", "<p>" + HtmlPage.escape(masked(link.contact.email()))
                    + " no longer receives marketing email from " + HtmlPage.escape(link.shop.name()) + ".</p>" + preferencesLink(link));
        }
        return HtmlPage.of(200, link.shop.name(), "Unsubscribe?", "<p>Stop marketing email from " + HtmlPage.escape(link.shop.name()) + " to "
                + HtmlPage.escape(masked(link.contact.email())) + "?</p>"
                + "<form method=\"post\"><button type=\"submit\" name=\"confirm\" value=\"yes\">Unsubscribe</button></form>"
                + "<p>Or choose what you hear about: " + preferencesLink(link) + "</p>");
    }

    HttpResponse unsubscribe(HttpRequest request) {
        Link link = link(request, Purpose.UNSUBSCRIBE);
        Map<String, List<String>> form = request.form();
        boolean oneClick = form.getOrDefault("List-Unsubscribe", List.of()).contains("One-Click");
        Consent before = link.contact.consent().get(ConsentChange.EMAIL_MARKETING);
        if (before == null || before.state() != State.withdrawn) {
            Instant now = clock.instant();
            ObjectNode props = Json.object().put("message_id", link.claims.messageId()).put("method", oneClick ? "one-click" : "page");
            events.record(link.shop.id(), "unsubscribe:" + link.claims.messageId() + ":" + stamp(before), link.contact,
                    "Email Unsubscribed", props,
                    new ConsentChange(ConsentChange.EMAIL_MARKETING, State.withdrawn, null, now,
                            (oneClick ? "one-click unsubscribe (RFC 8058)" : "unsubscribe page") + " from email " + link.claims.messageId()),
                    request.clientContext(), now);
        }
        if (!wantsHtml(request)) return HttpResponse.json(200, Json.object().put("status", "unsubscribed"));
        return HtmlPage.of(200, link.shop.name(), "You're unsubscribed", "<p>" + HtmlPage.escape(masked(link.contact.email()))
                + " will not receive marketing email from " + HtmlPage.escape(link.shop.name()) + " any more. Order and account email still arrive.</p>"
                + preferencesLink(link));
    }

    HttpResponse preferencesPage(HttpRequest request) {
        Link link = link(request, Purpose.PREFERENCES);
        return HtmlPage.of(200, link.shop.name(), "Email preferences", preferencesForm(link, email.current(link.shop.id()).settings(), null));
    }

    HttpResponse savePreferences(HttpRequest request) {
        Link link = link(request, Purpose.PREFERENCES);
        Map<String, List<String>> form = request.form();
        EmailSettings settings = email.current(link.shop.id()).settings();
        Set<String> wanted = new LinkedHashSet<>(form.getOrDefault("topic", List.of()));
        for (String t : wanted) if (!settings.hasTopic(t)) throw ApiException.badRequest("unknown topic " + t);
        boolean all = form.getOrDefault("unsubscribe_all", List.of()).contains("yes");
        Instant now = clock.instant();
        ObjectNode context = request.clientContext();
        Contact contact = link.contact;
        String evidence = "preference centre, link from email " + link.claims.messageId();
        Consent marketing = contact.consent().get(ConsentChange.EMAIL_MARKETING);
        State marketingWanted = all ? State.withdrawn : State.granted;
        boolean marketingWithdrawn = marketing != null && marketing.state() == State.withdrawn;
        // ticking topics on a page reached through one's own mailbox re-subscribes; otherwise marketing consent is left as it is
        if (all || (marketingWithdrawn && !wanted.isEmpty())) {
            if (marketing == null || marketing.state() != marketingWanted) {
                events.record(link.shop.id(), "preferences:" + link.claims.messageId() + ":marketing:" + marketingWanted + ":" + stamp(marketing),
                        contact, all ? "Email Unsubscribed" : "Email Resubscribed", Json.object().put("message_id", link.claims.messageId()),
                        new ConsentChange(ConsentChange.EMAIL_MARKETING, marketingWanted, null, now, evidence), context, now);
            }
        }
        if (!all) {
            for (EmailSettings.Topic topic : settings.topics()) {
                String purpose = EmailSending.TOPIC_PURPOSE + topic.id();
                Consent current = contact.consent().get(purpose);
                State want = wanted.contains(topic.id()) ? State.granted : State.withdrawn;
                State has = current == null ? State.granted : current.state(); // a topic is on until turned off
                if (has == want) continue;
                events.record(link.shop.id(), "preferences:" + link.claims.messageId() + ":" + purpose + ":" + want + ":" + stamp(current),
                        contact, "Email Topic " + (want == State.granted ? "Subscribed" : "Unsubscribed"),
                        Json.object().put("topic", topic.id()).put("message_id", link.claims.messageId()),
                        new ConsentChange(purpose, want, null, now, evidence), context, now);
            }
        }
        Contact after = contacts.current(link.shop.id(), contact.contactId()).orElse(contact);
        if (!wantsHtml(request)) return HttpResponse.json(200, Json.object().put("status", "saved"));
        return HtmlPage.of(200, link.shop.name(), "Preferences saved", preferencesForm(new Link(link.shop, after, link.claims), settings, "Your choices are saved."));
    }

    HttpResponse subscribe(HttpRequest request) {
        Shop shop = shop(request);
        JsonNode body = signUp(request);
        String address = Json.text(body, "email");
        if (address == null || address.length() > 254 || !Identity.looksLikeEmail(address)) throw ApiException.badRequest("email must be an email address");
        // the endpoint is public: a source may not sign up a list of strangers, nor anyone bombard one address
        limits.check(shop, request.sourceIp(), address, clock.instant());
        String source = Optional.ofNullable(Json.text(body, "source")).orElse("sign-up form");
        if (source.length() > 100) throw ApiException.badRequest("source is limited to 100 characters");
        String firstName = Json.text(body, "first_name");
        if (firstName != null && firstName.length() > 100) throw ApiException.badRequest("first_name is limited to 100 characters");
        EmailSettings settings = email.current(shop.id()).settings();
        List<String> topics = new ArrayList<>();
        body.path("topics").forEach(t -> topics.add(t.asText()));
        for (String t : topics) if (!settings.hasTopic(t)) throw ApiException.badRequest("unknown topic " + t);

        Identity identity = Identity.email(address);
        Optional<Contact> known = Optional.ofNullable(contacts.lookup(shop.id(), List.of(identity)).get(identity))
                .flatMap(id -> contacts.current(shop.id(), id));
        Consent marketing = known.map(c -> c.consent().get(ConsentChange.EMAIL_MARKETING)).orElse(null);
        boolean subscribed = marketing != null && marketing.state() == State.granted;
        Instant now = clock.instant();
        TextSignUp texts = textSignUp(body, settings, known.orElse(null), source, now);
        if (texts != null) limits.checkNumber(shop, texts.number(), now);
        ObjectNode context = request.clientContext();
        String day = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
        ObjectNode props = Json.object().put("source", source);
        props.set("topics", Json.MAPPER.valueToTree(topics));
        String evidence = source + (settings.doubleOptIn() ? " (awaiting double opt-in)" : " (single opt-in)");
        KindlingEvents.Person person = known.map(KindlingEvents.Person::of).orElse(new KindlingEvents.Person(null, identity.value()));
        List<ConsentChange> consents = new ArrayList<>();
        if (!subscribed) {
            consents.add(new ConsentChange(ConsentChange.EMAIL_MARKETING, settings.doubleOptIn() ? State.pending : State.granted,
                    settings.doubleOptIn() ? null : "single_opt_in", now, evidence));
        }
        if (texts != null && texts.consent() != null) consents.add(texts.consent());
        if (!consents.isEmpty()) {
            ObjectNode traits = Json.object();
            if (firstName != null) traits.put("first_name", firstName);
            if (texts != null) traits.put("phone", texts.number());
            String event = !subscribed ? settings.doubleOptIn() ? EventNames.EMAIL_SUBSCRIPTION_REQUESTED : "Email Subscribed"
                    : settings.sms().doubleOptIn() ? "SMS Subscription Requested" : "SMS Subscribed";
            Ingestor.Outcome outcome = events.recordFromForm(shop.id(), "subscribe:" + SignUpLimits.addressKey(shop, identity.value()) + ":" + day, person,
                    event, props, traits.isEmpty() ? null : traits, List.copyOf(consents), context, now);
            if (!subscribed && settings.doubleOptIn()) sendConfirmation(shop, outcome.contactId(), topics, day);
            if (texts != null && texts.consent() != null && texts.consent().state() == State.pending && limits.confirmationTextDue(shop, texts.number(), now)) {
                // the number confirms by replying YES; a text that cannot go now leaves the request pending, nothing more
                sending.send(new SendRequest(shop.id(), outcome.contactId(), SMS_OPT_IN_TEMPLATE, SendRequest.Kind.transactional,
                        "sms-opt-in:" + outcome.contactId() + ":" + day, Json.object(), SendRequest.Tags.NONE, null));
            }
        }
        // the same answer whether or not the address was subscribed: it tells no one who is on the list
        String status = settings.doubleOptIn() ? "confirmation_sent" : "subscribed";
        if (!wantsHtml(request)) {
            ObjectNode answer = Json.object().put("status", status);
            if (texts != null) answer.put("sms", settings.sms().doubleOptIn() ? "confirmation_sent" : "subscribed");
            return HttpResponse.json(202, answer);
        }
        return settings.doubleOptIn()
                ? HtmlPage.of(202, shop.name(), "Check your inbox", "<p>If this address is not subscribed yet, we sent it an email with a link to confirm.</p>")
                : HtmlPage.of(202, shop.name(), "You're subscribed", "<p>Thanks for subscribing.</p>");
    }

    /** The template of the text that asks a number signed up on a form to reply YES. */
    public static final String SMS_OPT_IN_TEMPLATE = "sms-confirm";

    /** A form's ask for texts: the number (E.164), and the consent to record (null: nothing to record for it). */
    private record TextSignUp(String number, ConsentChange consent) {}

    /**
     * The form's phone and its box for texts ({@code sms_consent}: true, on, yes): the number must be one (read in the
     * form's {@code country}, else the SMS settings' default). A claim, as the whole form is: it asks (or, where the shop
     * turned SMS double opt-in off, the box with its wording is the consent), and it never attaches consent to a number
     * the profile does not carry: a known person with another number is left as they are.
     */
    private static TextSignUp textSignUp(JsonNode body, EmailSettings settings, Contact known, String source, Instant now) {
        String box = body.path("sms_consent").asText("").strip().toLowerCase(Locale.ROOT);
        if (!List.of("true", "on", "yes", "1").contains(box)) return null;
        String country = Json.text(body, "country");
        String number = Phones.e164(Json.text(body, "phone"), country != null && country.matches("[A-Za-z]{2}") ? country : settings.sms().defaultCountry())
                .orElseThrow(() -> ApiException.badRequest("phone must be a phone number (E.164 such as +14155550123, or a national number of "
                        + settings.sms().defaultCountry() + " or of the form's country) to sign up for texts"));
        if (known != null && known.traits().phone() != null) {
            if (!EmailSending.textNumber(known, settings.sms()).map(number::equals).orElse(false)) return new TextSignUp(number, null);
        }
        Consent sms = known == null ? null : known.consent().get(ConsentChange.SMS_MARKETING);
        if (sms != null && sms.state() == State.granted) return new TextSignUp(number, null);
        boolean confirm = settings.sms().doubleOptIn();
        return new TextSignUp(number, new ConsentChange(ConsentChange.SMS_MARKETING, confirm ? State.pending : State.granted, confirm ? null : "single_opt_in", now,
                source + " (box for texts checked, " + Phones.masked(number) + (confirm ? ", awaiting the reply YES)" : ", single opt-in)")));
    }

    private void sendConfirmation(Shop shop, String contactId, List<String> topics, String day) {
        String key = "double-opt-in:" + contactId + ":" + day;
        String messageId = EmailSending.messageId(shop.id(), key);
        String confirm = publicBaseUrl + "/email/" + shop.id() + "/confirm?t="
                + tokens.issue(shop, Purpose.CONFIRM, contactId, messageId, topics.isEmpty() ? null : String.join(",", topics));
        ObjectNode context = Json.object();
        context.putObject("links").put("confirm", confirm);
        SendResult result = sending.send(new SendRequest(shop.id(), contactId, DOUBLE_OPT_IN_TEMPLATE, SendRequest.Kind.transactional,
                key, context, SendRequest.Tags.NONE, null));
        if (result.status() == MessageRecord.Status.failed) {
            throw new IllegalStateException("the confirmation email could not be sent: " + result.reason());
        }
        if (result.status() == MessageRecord.Status.deferred) {
            // the account's send rate is used up for now: the sign-up is recorded, and sending it again sends the
            // confirmation (same key, so once) – the caller is told to retry rather than the email being dropped
            throw new ApiException(503, "try_again", "the confirmation email could not go out yet (" + result.reason() + "); send the sign-up again in a minute");
        }
    }

    HttpResponse confirmPage(HttpRequest request) {
        Link link = link(request, Purpose.CONFIRM);
        return HtmlPage.of(200, link.shop.name(), "Confirm your subscription", "<p>Receive email from " + HtmlPage.escape(link.shop.name()) + " at "
                + HtmlPage.escape(masked(link.contact.email())) + "?</p><form method=\"post\"><button type=\"submit\" name=\"confirm\" value=\"yes\">Yes, subscribe me</button></form>");
    }

    HttpResponse confirm(HttpRequest request) {
        Link link = link(request, Purpose.CONFIRM);
        Consent marketing = link.contact.consent().get(ConsentChange.EMAIL_MARKETING);
        Instant now = clock.instant();
        if (marketing == null || marketing.state() != State.granted) {
            ObjectNode context = request.clientContext();
            events.record(link.shop.id(), "confirm:" + link.claims.messageId() + ":" + stamp(marketing), link.contact, "Email Subscription Confirmed",
                    Json.object().put("message_id", link.claims.messageId()),
                    new ConsentChange(ConsentChange.EMAIL_MARKETING, State.granted, "confirmed_opt_in", now,
                            "double opt-in confirmed through the link in email " + link.claims.messageId()), context, now);
            if (link.claims.topic() != null) {
                Set<String> chosen = Set.of(link.claims.topic().split(","));
                for (EmailSettings.Topic topic : email.current(link.shop.id()).settings().topics()) {
                    if (chosen.contains(topic.id())) continue;
                    String purpose = EmailSending.TOPIC_PURPOSE + topic.id();
                    events.record(link.shop.id(), "confirm:" + link.claims.messageId() + ":" + purpose, link.contact, "Email Topic Unsubscribed",
                            Json.object().put("topic", topic.id()), new ConsentChange(purpose, State.withdrawn, null, now,
                                    "not chosen at sign-up"), context, now);
                }
            }
        }
        if (!wantsHtml(request)) return HttpResponse.json(200, Json.object().put("status", "confirmed"));
        return HtmlPage.of(200, link.shop.name(), "You're subscribed", "<p>Thanks! " + HtmlPage.escape(masked(link.contact.email())) + " is confirmed.</p>");
    }

    HttpResponse view(HttpRequest request) {
        Link link = link(request, Purpose.VIEW);
        String kept = messages.body(link.shop.id(), link.claims.contactId(), link.claims.messageId())
                .orElseThrow(() -> ApiException.notFound("this email is no longer kept"));
        // its own links signed again for the message (they are kept as names: send.KeptLinks)
        String body = messages.get(link.shop.id(), link.claims.contactId(), link.claims.messageId())
                .map(message -> sending.viewable(link.shop, message, kept)).orElse(kept);
        return new HttpResponse(200, HtmlPage.headers("default-src 'none'; img-src https: data:; style-src 'unsafe-inline'"), body);
    }

    private record Link(Shop shop, Contact contact, Claims claims) {}

    private Link link(HttpRequest request, Purpose purpose) {
        Shop shop = shop(request);
        String token = request.query().get("t");
        if (request.body().length > MAX_BODY_BYTES) throw ApiException.tooLarge("the request body is limited to 16 KB");
        Claims claims;
        try {
            claims = tokens.verify(shop, purpose, token);
        } catch (InvalidToken invalid) {
            throw new ApiException(400, "invalid_link", "this link is not valid (" + invalid.getMessage() + "); use the link in a recent email");
        }
        Contact contact = contacts.current(shop.id(), claims.contactId())
                .orElseThrow(() -> ApiException.notFound("the person this link was made for is no longer known"));
        if (contact.email() == null) throw ApiException.notFound("the person this link was made for has no email address");
        return new Link(shop, contact, claims);
    }

    private Shop shop(HttpRequest request) {
        return shops.byId(request.pathParameter("shopId")).orElseThrow(() -> ApiException.notFound("unknown shop"));
    }

    private String preferencesForm(Link link, EmailSettings settings, String notice) {
        Consent marketing = link.contact.consent().get(ConsentChange.EMAIL_MARKETING);
        boolean withdrawn = marketing != null && marketing.state() == State.withdrawn;
        StringBuilder html = new StringBuilder();
        if (notice != null) html.append("<p role=\"status\"><strong>").append(HtmlPage.escape(notice)).append("</strong></p>");
        html.append("<p>Email from ").append(HtmlPage.escape(link.shop.name())).append(" to ").append(HtmlPage.escape(masked(link.contact.email()))).append(":</p>");
        if (withdrawn) html.append("<p>You are unsubscribed from all marketing email. Tick topics and save to subscribe again.</p>");
        loyalty.of(link.shop.id(), link.contact).ifPresent(standing -> {
            html.append("<p>Your rewards: <strong>").append(standing.points()).append(" points</strong>, ").append(HtmlPage.escape(standing.tier()));
            if (standing.nextTier() != null) {
                html.append(" (").append(HtmlPage.escape(standing.toNextTier().stripTrailingZeros().toPlainString()))
                        .append(LoyaltyProgramme.SPEND.equals(standing.measure()) ? " more to spend" : " more points").append(" to ")
                        .append(HtmlPage.escape(standing.nextTier())).append(")");
            }
            html.append(".</p>");
        });
        html.append("<form method=\"post\"><fieldset><legend>Topics</legend>");
        for (EmailSettings.Topic topic : settings.topics()) {
            Consent c = link.contact.consent().get(EmailSending.TOPIC_PURPOSE + topic.id());
            boolean on = !withdrawn && (c == null || c.state() != State.withdrawn);
            html.append("<label><input type=\"checkbox\" name=\"topic\" value=\"").append(HtmlPage.escape(topic.id())).append('"')
                    .append(on ? " checked" : "").append("> ").append(HtmlPage.escape(topic.name()))
                    .append(topic.description() == null ? "" : " <small>" + HtmlPage.escape(topic.description()) + "</small>").append("</label><br>");
        }
        html.append("</fieldset><p><label><input type=\"checkbox\" name=\"unsubscribe_all\" value=\"yes\"> Unsubscribe from all marketing email</label></p>")
                .append("<button type=\"submit\">Save</button></form>");
        return html.toString();
    }

    private String preferencesLink(Link link) {
        String url = publicBaseUrl + "/email/" + link.shop.id() + "/preferences?t="
                + tokens.issue(link.shop, Purpose.PREFERENCES, link.contact.contactId(), link.claims.messageId(), null);
        return "<a href=\"" + HtmlPage.escape(url) + "\">email preferences</a>";
    }

    private static JsonNode signUp(HttpRequest request) {
        if (request.body().length > MAX_BODY_BYTES) throw ApiException.tooLarge("the request body is limited to 16 KB");
        if (request.body().length == 0) throw ApiException.badRequest("the request has no body");
        String type = String.valueOf(request.header("content-type")).toLowerCase();
        if (type.contains("application/x-www-form-urlencoded")) {
            Map<String, List<String>> form = request.form();
            ObjectNode body = Json.object();
            form.forEach((k, v) -> {
                if (k.equals("topics") || k.equals("topic")) v.forEach(body.withArray("topics")::add);
                else body.put(k, v.getFirst());
            });
            return body;
        }
        try {
            JsonNode body = Json.MAPPER.readTree(request.body());
            if (body == null || !body.isObject()) throw ApiException.badRequest("the body must be a JSON object");
            return body;
        } catch (IOException unreadable) {
            throw ApiException.badRequest("the body is not valid JSON: " + unreadable.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** Identifies the consent state a change starts from, so a replayed request is one event and a later change is another. */
    private static String stamp(Consent consent) {
        return consent == null || consent.updatedAt() == null ? "0" : Long.toString(consent.updatedAt().toEpochMilli());
    }

    private static boolean wantsHtml(HttpRequest request) {
        String accept = request.header("accept");
        return accept != null && accept.contains("text/html");
    }

    static String masked(String email) {
        if (email == null) return "";
        int at = email.indexOf('@');
        if (at <= 1) return email;
        return email.charAt(0) + "•••" + email.substring(at);
    }

}
