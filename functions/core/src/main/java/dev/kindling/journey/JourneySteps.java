package dev.kindling.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.consent.LinkTokens;
import dev.kindling.contact.Consent;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.email.ShopEmail;
import dev.kindling.engagement.EmailStats;
import dev.kindling.event.BusEvent;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.EventNames;
import dev.kindling.event.EventPublisher;
import dev.kindling.json.Json;
import dev.kindling.send.EmailSending;
import dev.kindling.send.Suppressions;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The journey function: the decisions the state machines delegate. {@code enter} reads the shop's
 * settings for the journey (on/off, re-entry, holdout, variant, delays, templates, data) and counts
 * the entry; {@code check} re-checks the exit criteria before each send (ordered — or, for the
 * loyalty loop, a newer order —, unsubscribed, suppressed); {@code consent} (welcome) says whether a
 * confirmation is needed and makes its link; {@code fulfilled}, {@code nps-links}, {@code nps-answer}
 * serve the loyalty loop; {@code support} puts {@code support.followup} on the bus; {@code exit} and
 * {@code complete} count how an execution ended.
 */
public final class JourneySteps {
    public static final String NPS_EVENT = "nps.submitted";
    public static final String SOURCE = "kindling.journeys";
    public static final String SUPPORT_FOLLOWUP = "support.followup";
    static final int HISTORY_READ = 200;

    private final ShopDirectory shops;
    private final ContactStore contacts;
    private final ShopEmail email;
    private final EmailStats stats;
    private final Suppressions suppressions;
    private final JourneyEntries entries;
    private final LinkTokens tokens;
    private final EventPublisher bus;
    private final Clock clock;
    private final String publicBaseUrl;

    public JourneySteps(ShopDirectory shops, ContactStore contacts, ShopEmail email, EmailStats stats, Suppressions suppressions,
                        JourneyEntries entries, LinkTokens tokens, EventPublisher bus, Clock clock, String publicBaseUrl) {
        this.shops = shops;
        this.contacts = contacts;
        this.email = email;
        this.stats = stats;
        this.suppressions = suppressions;
        this.entries = entries;
        this.tokens = tokens;
        this.bus = bus;
        this.clock = clock;
        this.publicBaseUrl = publicBaseUrl;
    }

    public JsonNode handle(JsonNode request) {
        String action = text(request, "action");
        String shopId = text(request, "shopId");
        String contactId = text(request, "contactId");
        String journey = text(request, "journey");
        if (!JourneySettings.JOURNEYS.contains(journey)) throw new IllegalArgumentException("unknown journey " + journey);
        Shop shop = shops.byId(shopId).orElseThrow(() -> new IllegalArgumentException("unknown shop " + shopId));
        return switch (action) {
            case "enter" -> enter(shop, contactId, journey, text(request, "execution"));
            case "check" -> check(shop, contactId, journey, instant(request, "since"), request.path("marketing").asBoolean(true));
            case "consent" -> consent(shop, contactId, request.path("confirmationSent").asBoolean(false), request);
            case "fulfilled" -> fulfilled(shop, contactId, journey, instant(request, "since"), Json.text(request, "orderId"));
            case "nps-links" -> npsLinks(shop, contactId, text(request, "execution"));
            case "review-link" -> reviewLink(shop, contactId, text(request, "execution"));
            case "nps-answer" -> npsAnswer(shop, contactId, instant(request, "since"));
            case "support" -> support(shop, contactId, journey, request.path("score").asInt(-1));
            case "exit" -> count(shop, journey, "exited_" + Optional.ofNullable(Json.text(request, "reason")).orElse("unknown"));
            case "complete" -> count(shop, journey, "completed");
            default -> throw new IllegalArgumentException("unknown journey action " + action);
        };
    }

    private JsonNode enter(Shop shop, String contactId, String journey, String execution) {
        JourneySettings settings = JourneySettings.of(journey, email.current(shop.id()).journeys().get(journey));
        ObjectNode out = Json.object();
        if (!settings.enabled()) return notRun(shop, journey, out, "disabled");
        Instant now = clock.instant();
        if (settings.reentryDays() > 0
                && !entries.enter(shop.id(), contactId, journey, now, now.minus(Duration.ofDays(settings.reentryDays())))) {
            return notRun(shop, journey, out, "reentry");
        }
        JourneySettings.Variant variant = settings.variantFor(contactId + "|" + execution);
        if (settings.inHoldout(contactId + "|" + journey)) return notRun(shop, journey, out, "holdout");
        stats.count(shop.id(), today(), new EmailStats.Key("journey:" + journey, "journey", variant.name()), "entered");
        if (execution != null) entries.running(shop.id(), contactId, journey, execution, now);
        out.put("run", true).put("variant", variant.name()).put("holdout", false);
        ObjectNode delays = out.putObject("delays");
        settings.delays().forEach(delays::put);
        ObjectNode templates = out.putObject("templates");
        settings.templatesFor(variant).forEach(templates::put);
        out.set("data", settings.data());
        return out;
    }

    private JsonNode notRun(Shop shop, String journey, ObjectNode out, String reason) {
        count(shop, journey, reason);
        return out.put("run", false).put("reason", reason);
    }

    private JsonNode check(Shop shop, String contactId, String journey, Instant since, boolean marketing) {
        Optional<Contact> found = contacts.current(shop.id(), contactId);
        ObjectNode out = Json.object().put("exit", false);
        if (found.isEmpty()) return out.put("exit", true).put("reason", "no_contact");
        Contact contact = found.get();
        Instant lastOrder = contact.commerce() == null ? null : contact.commerce().lastOrderAt();
        if (lastOrder != null && lastOrder.isAfter(since)) {
            // the loyalty loop was started by an order: a later one starts a new loop and this one ends
            return out.put("exit", true).put("reason", orderExitReason(journey));
        }
        if (contact.email() != null && suppressions.get(shop.id(), contact.email()).isPresent()) return out.put("exit", true).put("reason", "suppressed");
        if (marketing) {
            Consent c = contact.consent().get(ConsentChange.EMAIL_MARKETING);
            if (c != null && c.state() == ConsentChange.State.withdrawn) return out.put("exit", true).put("reason", "unsubscribed");
        }
        return out;
    }

    private JsonNode consent(Shop shop, String contactId, boolean confirmationSent, JsonNode request) {
        Contact contact = contacts.current(shop.id(), contactId).orElse(null);
        ObjectNode out = Json.object();
        Consent c = contact == null ? null : contact.consent().get(ConsentChange.EMAIL_MARKETING);
        String state = c == null ? ConsentChange.State.not_given.name() : c.state().name();
        out.put("state", state);
        // A confirmation goes only to someone who asked: consent pending (a sign-up form, a tracking sign-up, the shop's
        // own double opt-in). Nobody else gets one: a customer who did not subscribe is not asked to.
        boolean needsConfirmation = state.equals(ConsentChange.State.pending.name()) && email.current(shop.id()).settings().doubleOptIn();
        // nothing to confirm: the journey waits, then ends unless consent came
        out.put("confirmationSent", confirmationSent || !needsConfirmation || contact == null || contact.email() == null);
        if (needsConfirmation && contact != null) {
            String execution = Json.text(request, "execution");
            String messageId = EmailSending.messageId(shop.id(), (execution == null ? contactId : execution) + ":confirm");
            out.put("confirmUrl", publicBaseUrl + "/email/" + shop.id() + "/confirm?t="
                    + tokens.issue(shop, LinkTokens.Purpose.CONFIRM, contactId, messageId, null));
        }
        return out;
    }

    private JsonNode fulfilled(Shop shop, String contactId, String journey, Instant since, String orderId) {
        Contact contact = contacts.current(shop.id(), contactId).orElse(null);
        boolean fulfilled = false;
        if (contact != null) {
            for (CanonicalEvent e : contacts.recentEvents(shop.id(), contact.historyIds(), since, HISTORY_READ)) {
                boolean fulfilment = EventNames.ORDER_FULFILLED.equals(e.event()) || EventNames.FULFILLMENT_CREATED.equals(e.event());
                if (fulfilment && (orderId == null || orderId.equals(Json.text(e.properties(), "order_id")))) {
                    fulfilled = true;
                    break;
                }
            }
        }
        int giveUpDays = JourneySettings.of(journey, email.current(shop.id()).journeys().get(journey)).giveUpDays();
        return Json.object().put("fulfilled", fulfilled).put("giveUp", !fulfilled && clock.instant().isAfter(since.plus(Duration.ofDays(giveUpDays))));
    }

    private JsonNode npsLinks(Shop shop, String contactId, String execution) {
        String token = tokens.issue(shop, LinkTokens.Purpose.SURVEY, contactId, execution, null);
        ObjectNode out = Json.object();
        ArrayNode links = out.putArray("links");
        for (int score = 0; score <= 10; score++) {
            links.addObject().put("score", score).put("url", publicBaseUrl + "/journeys/" + shop.id() + "/nps?t=" + token + "&score=" + score);
        }
        return out;
    }

    /** The review request's button: a link that records the intent, then goes on to the shop's review page. */
    private JsonNode reviewLink(Shop shop, String contactId, String execution) {
        return Json.object().put("review_url", publicBaseUrl + "/journeys/" + shop.id() + "/review?t="
                + tokens.issue(shop, LinkTokens.Purpose.SURVEY, contactId, execution, null));
    }

    private JsonNode npsAnswer(Shop shop, String contactId, Instant since) {
        Contact contact = contacts.current(shop.id(), contactId).orElse(null);
        ObjectNode out = Json.object().put("group", "none");
        if (contact == null) return out;
        List<CanonicalEvent> events = contacts.recentEvents(shop.id(), contact.historyIds(), since, HISTORY_READ);
        for (CanonicalEvent e : events) { // newest first: the latest answer counts
            if (NPS_EVENT.equals(e.event()) && e.properties() != null && e.properties().has("score")) {
                int score = e.properties().path("score").asInt();
                return out.put("score", score).put("group", score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor");
            }
        }
        return out;
    }

    private JsonNode support(Shop shop, String contactId, String journey, int score) {
        ObjectNode detail = Json.object().put("id", "support:" + journey + ":" + contactId + ":" + score + ":" + today())
                .put("shopId", shop.id()).put("contactId", contactId).put("at", clock.instant().toString())
                .put("journey", journey).put("reason", "nps_detractor").put("score", score);
        contacts.current(shop.id(), contactId).map(Contact::email).ifPresent(e -> detail.put("email", e));
        bus.publish(List.of(new BusEvent(SOURCE, SUPPORT_FOLLOWUP, clock.instant(), detail)));
        return Json.object().put("published", true);
    }

    private JsonNode count(Shop shop, String journey, String what) {
        countJourney(stats, shop.id(), today(), journey, what);
        return Json.object().put("recorded", true);
    }

    /** A journey's daily counter (entered, exited_…, completed) that its stats read. */
    public static void countJourney(EmailStats stats, String shopId, LocalDate day, String journey, String what) {
        stats.count(shopId, day, new EmailStats.Key("journey:" + journey, "journey", null), what);
    }

    /** Every journey ends when the person orders: the goal of the others; for post-purchase, the new order starts a new loop. */
    static String orderExitReason(String journey) {
        return journey.equals("post-purchase") ? "restarted" : "ordered";
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static String text(JsonNode request, String field) {
        String value = Json.text(request, field);
        if (value == null) throw new IllegalArgumentException("journey request needs " + field);
        return value;
    }

    private static Instant instant(JsonNode request, String field) {
        return Instant.parse(text(request, field));
    }
}
