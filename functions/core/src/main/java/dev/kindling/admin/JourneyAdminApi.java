package dev.kindling.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.email.TemplateTypes;
import dev.kindling.config.ConfigKind;
import dev.kindling.contact.Consent;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.email.ShopEmail;
import dev.kindling.engagement.EmailStats;
import dev.kindling.event.ConsentChange;
import dev.kindling.http.ApiException;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.ingest.Ingestor;
import dev.kindling.ingest.KindlingEvents;
import dev.kindling.journey.JourneyStarter;
import dev.kindling.journey.flow.Flow;
import dev.kindling.journey.flow.FlowParser;
import dev.kindling.journey.flow.FlowSteps;
import dev.kindling.journey.flow.JourneySimulator;
import dev.kindling.journey.flow.Journeys;
import dev.kindling.json.Json;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A shop's journeys as data ({@link Journeys}): the shipped ones with its settings or its own definition, and those it
 * writes; their counters; and a dry run ({@code simulate}) of any of them that sends nothing.
 */
public final class JourneyAdminApi {
    static final int MAX_EVENTS = 100;

    private final ShopDirectory shops;
    private final ShopEmail email;
    private final ContactStore contacts;
    private final EmailStats stats;
    private final JourneyStarter starter;
    private final KindlingEvents events;
    private final Clock clock;

    /** The event that records an entry the shop asked for through the API (its properties are the trigger's). */
    public static final String ENTRY_REQUESTED = "Journey Entry Requested";

    public JourneyAdminApi(ShopDirectory shops, ShopEmail email, ContactStore contacts, EmailStats stats, JourneyStarter starter,
                           KindlingEvents events, Clock clock) {
        this.starter = starter;
        this.events = events;
        this.shops = shops;
        this.email = email;
        this.contacts = contacts;
        this.stats = stats;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET /admin/journeys", this::list),
                new Route("GET /admin/journeys/{id}", this::get),
                new Route("PUT /admin/journeys/{id}", this::put),
                new Route("DELETE /admin/journeys/{id}", this::delete),
                new Route("GET /admin/journeys/{id}/stats", this::stats),
                new Route("POST /admin/journeys/{id}/simulate", this::simulate),
                new Route("POST /admin/journeys/{id}/entries", this::enter));
    }

    HttpResponse list(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        ShopEmail.Snapshot snapshot = email.current(shop.id());
        ArrayNode journeys = Json.MAPPER.createArrayNode();
        for (Flow flow : Journeys.all(snapshot.journeys())) {
            boolean shipped = Journeys.isShipped(flow.id());
            journeys.addObject().put("id", flow.id()).put("name", flow.name()).put("enabled", flow.enabled()).put("shipped", shipped)
                    .put("custom", shipped && snapshot.journeys().containsKey(flow.id())).put("written", !shipped || FlowParser.isFlow(snapshot.journeys().get(flow.id())));
        }
        ObjectNode body = Json.object();
        body.set("journeys", journeys);
        return HttpResponse.json(200, body);
    }

    /** The journey's definition as it runs for this shop (a shipped one with the shop's settings laid over), and what the shop saved. */
    HttpResponse get(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        ShopEmail.Snapshot snapshot = email.current(shop.id());
        String id = journey(request, snapshot);
        ObjectNode body = Json.object().put("id", id).put("version", snapshot.version()).put("shipped", Journeys.isShipped(id));
        body.set("definition", Journeys.effective(id, snapshot.journeys().get(id)));
        // what a PUT saves back: null for a shipped journey the shop saved nothing for
        body.set(ConfigKind.JOURNEYS.envelope(), snapshot.journeys().getOrDefault(id, NullNode.getInstance()));
        return HttpResponse.json(200, body);
    }

    /**
     * A journey's definition (any id; {@link FlowParser}), or a shipped journey's settings ({@link Journeys}): checked,
     * every problem named by its path, and saved; entries already running keep the definition they started with.
     */
    HttpResponse put(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = request.pathParameter("id");
        Optional<JsonNode> stored = AdminDocuments.documentOrNone(request, 64 * 1024, ConfigKind.JOURNEYS);
        if (stored.isEmpty()) {
            // the GET's answer for a shipped journey with nothing saved, sent back: nothing saved, as a DELETE leaves it
            if (!Journeys.isShipped(id)) throw ApiException.badRequest("stored must be an object: journey " + id + " is not shipped, so it needs a definition");
            return delete(request);
        }
        JsonNode doc = stored.get();
        ShopEmail.Snapshot snapshot = email.current(shop.id());
        List<String> problems = Journeys.problems(id, doc, TemplateTypes.of(snapshot.templates()));
        if (!problems.isEmpty()) throw ApiException.invalid("journey " + id + " is not valid", problems);
        Journeys.tooLarge(id, doc).ifPresent(message -> { throw ApiException.tooLarge(message); });
        if (!email.store().putJourney(shop.id(), id, doc, snapshot.version())) {
            throw ApiException.conflict("the shop's email settings changed while this request was checked; send it again");
        }
        return HttpResponse.json(200, Json.object().put("id", id).put("saved", true));
    }

    /** Removes a journey the shop wrote (nothing starts it any more; running entries finish), or what it saved for a shipped one (back to ours). */
    HttpResponse delete(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        ShopEmail.Snapshot snapshot = email.current(shop.id());
        String id = journey(request, snapshot);
        if (!snapshot.journeys().containsKey(id)) return HttpResponse.json(200, Json.object().put("id", id).put("deleted", false));
        if (!email.store().deleteJourney(shop.id(), id, snapshot.version())) {
            throw ApiException.conflict("the shop's email settings changed while this request was checked; send it again");
        }
        return HttpResponse.json(200, Json.object().put("id", id).put("deleted", true));
    }

    HttpResponse stats(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = journey(request, email.current(shop.id()));
        DayRange days = DayRange.of(request, clock, 30);
        LocalDate from = days.from();
        LocalDate to = days.to();
        ObjectNode totals = Json.object();
        ObjectNode steps = Json.object();
        for (EmailStats.Row row : stats.read(shop.id(), from, to)) {
            if (!row.key().source().equals("journey:" + id)) continue;
            ObjectNode into = "journey".equals(row.key().step()) ? totals : steps.with(row.key().step() + (row.key().variant() == null ? "" : "/" + row.key().variant()));
            row.counts().forEach((k, v) -> into.put(k, into.path(k).asLong() + v));
        }
        ObjectNode body = Json.object().put("id", id).put("from", from.toString()).put("to", to.toString());
        body.set("journey", totals); // entered, holdout, reentry, disabled, exited_<reason>, completed
        body.set("steps", steps); // per step: reached and exited_<reason>; per step and variant, SES events: send, delivery, open, click, bounce …
        return HttpResponse.json(200, body);
    }

    /**
     * {@code {"contactId": "…"} or {"contact": {"consent": true}}, "trigger": {…}, "events": [{"after": "P2D", "event": "Order Completed", "properties": {…}}]}}:
     * which emails would go out and when. Nothing is sent or stored.
     */
    HttpResponse simulate(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        ShopEmail.Snapshot snapshot = email.current(shop.id());
        String id = journey(request, snapshot);
        JsonNode body = request.body().length == 0 ? Json.object() : AdminDocuments.read(request, 64 * 1024);
        JourneySimulator.Contact contact;
        String contactId = Json.text(body, "contactId");
        if (contactId != null) {
            if (!contactId.matches("[A-Za-z0-9-]{1,64}")) throw ApiException.badRequest("contactId is malformed");
            Contact c = contacts.current(shop.id(), contactId).orElseThrow(() -> ApiException.notFound("no contact " + contactId));
            Consent consent = c.consent().get(ConsentChange.EMAIL_MARKETING);
            contact = new JourneySimulator.Contact(consent != null && consent.state() == ConsentChange.State.granted, c.email() != null);
        } else {
            contact = new JourneySimulator.Contact(body.path("contact").path("consent").asBoolean(true), body.path("contact").path("email").asBoolean(true));
        }
        List<JourneySimulator.Event> events = new ArrayList<>();
        JsonNode list = body.path("events");
        if (list.size() > MAX_EVENTS) throw ApiException.badRequest("at most " + MAX_EVENTS + " events");
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String name = Json.text(e, "event");
            if (name == null) throw ApiException.badRequest("events[" + i + "].event is required");
            Duration after;
            try {
                after = e.path("after").isNumber() ? Duration.ofSeconds(e.path("after").asLong()) : Duration.parse(e.path("after").asText("PT0S"));
            } catch (DateTimeParseException bad) {
                throw ApiException.badRequest("events[" + i + "].after: seconds or an ISO-8601 duration such as P2D");
            }
            if (after.isNegative()) throw ApiException.badRequest("events[" + i + "].after must not be negative");
            events.add(new JourneySimulator.Event(after, name, e.path("properties").isObject() ? e.get("properties") : Json.object()));
        }
        JourneySimulator.Result result = JourneySimulator.run(Journeys.of(id, snapshot.journeys()), contact, body.path("trigger").isObject() ? body.get("trigger") : Json.object(),
                events, clock.instant());
        return HttpResponse.json(200, Json.MAPPER.valueToTree(result));
    }

    /**
     * {@code {"contactId": "…", "key": "…" (optional), "properties": {…} (optional)}}: puts the contact in a journey whose
     * trigger is {@code api}, with the properties as its trigger's (what the templates read as {@code event}). The key, or
     * the contact and day, names the entry, so the same call made twice is one entry ({@code started: false}).
     */
    HttpResponse enter(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        ShopEmail.Snapshot snapshot = email.current(shop.id());
        String id = journey(request, snapshot);
        JsonNode body = AdminDocuments.read(request, 64 * 1024);
        String contactId = Json.text(body, "contactId");
        if (contactId == null || !contactId.matches("[A-Za-z0-9-]{1,64}")) throw ApiException.badRequest("contactId: the contact's id is required");
        String key = Json.text(body, "key");
        if (key != null && !key.matches("[A-Za-z0-9_.:-]{1,64}")) throw ApiException.badRequest("key: 1-64 of A-Z a-z 0-9 _ . : -");
        if (body.has("properties") && !body.get("properties").isObject()) throw ApiException.badRequest("properties: an object");
        Flow flow = Journeys.of(id, snapshot.journeys());
        if (!(flow.trigger() instanceof Flow.Trigger.OnApi)) {
            throw ApiException.badRequest("journey " + id + " is not started by the API: its trigger is not {api: true}");
        }
        if (!flow.enabled()) throw ApiException.conflict("journey " + id + " is switched off");
        Contact contact = contacts.current(shop.id(), contactId).orElseThrow(() -> ApiException.notFound("no contact " + contactId));
        // the request is recorded as the person's event (in their timeline, export and erasure), and the execution's
        // input names that event only: Step Functions' history, which no erasure reaches, holds no data of theirs
        Instant at = clock.instant();
        String deliveryKey = "journey-entry:" + id + ":" + (key != null ? key : JourneyStarter.apiEntryKey(contact.contactId(), at));
        ObjectNode properties = body.path("properties").isObject() ? ((ObjectNode) body.get("properties")).deepCopy() : Json.object();
        Ingestor.Outcome recorded = events.record(shop.id(), deliveryKey, contact, ENTRY_REQUESTED, properties.put("journey", id), null, null, at);
        var started = starter.flowOnApi(shop.id(), recorded.contactId(), id, key,
                        FlowSteps.storedTrigger("api", KindlingEvents.messageIdOf(deliveryKey), at))
                .orElseThrow(() -> ApiException.conflict("journey " + id + " changed while this request was checked; send it again"));
        return HttpResponse.json(200, Json.object().put("journey", id).put("execution", started.executionName()).put("started", started.started()));
    }

    /** A shipped journey, or one the shop wrote and saved. */
    private static String journey(HttpRequest request, ShopEmail.Snapshot snapshot) {
        String id = request.pathParameter("id");
        if (id != null && (Journeys.isShipped(id) || FlowParser.isFlow(snapshot.journeys().get(id)))) return id;
        throw ApiException.notFound("no journey " + id + "; shipped journeys: " + Journeys.shipped());
    }
}
