package dev.kindling.admin;

import dev.kindling.privacy.AuditLog;
import dev.kindling.privacy.PrivacyRequests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.audience.ContactScan;
import dev.kindling.audience.ContactSearch;
import dev.kindling.clv.ClvModel;
import dev.kindling.clv.ClvModels;
import dev.kindling.clv.Customer;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.contact.Identity;
import dev.kindling.event.ConsentChange;
import dev.kindling.ingest.KindlingEvents;
import dev.kindling.http.ApiException;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.json.Json;
import dev.kindling.loyalty.Standings;
import dev.kindling.retry.Deadline;
import dev.kindling.scoring.ScoreState;
import dev.kindling.scoring.ScoreStore;
import dev.kindling.segment.MembershipStore;
import dev.kindling.segment.SegmentDefinition;
import dev.kindling.settings.ShopSettings;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The admin contact view: a contact found by email or id, with its scores (decayed to now), its
 * lifecycle stage and stage history, its segments and its recent events.
 */
public final class AdminApi {
    private final ClvModels clv;
    public static final String CONTACT_BY_EMAIL_ROUTE = "GET /admin/contacts";
    public static final String CONTACT_BY_ID_ROUTE = "GET /admin/contacts/{id}";
    public static final String EXPORT_ROUTE = "GET /admin/contacts/{id}/export";
    public static final String ERASE_ROUTE = "DELETE /admin/contacts/{id}";
    public static final String AUDIT_ROUTE = "GET /admin/audit";
    public static final String DO_NOT_SELL_ROUTE = "PUT /admin/contacts/{id}/do-not-sell";
    public static final String SESSION_ROUTE = "GET /admin/session";
    private static final int MAX_EVIDENCE = 500;
    static final int RECENT_EVENTS = 50;

    private final ShopDirectory shops;
    private final ContactStore contacts;
    private final ScoreStore scores;
    private final MembershipStore memberships;
    private final ShopSettings settings;
    private final Clock clock;
    private final PrivacyRequests privacy;
    private final AuditLog audit;
    private final KindlingEvents events;
    private final ContactSearch search;
    private static final int SEARCH_LIMIT = 20;

    private final Standings loyalty;

    public AdminApi(ShopDirectory shops, ContactStore contacts, ScoreStore scores, MembershipStore memberships,
                    ShopSettings settings, ClvModels clv, Clock clock, PrivacyRequests privacy, AuditLog audit, KindlingEvents events,
                    ContactSearch search, Standings loyalty) {
        this.search = search;
        this.loyalty = loyalty;
        this.clv = clv;
        this.events = events;
        this.privacy = privacy;
        this.audit = audit;
        this.shops = shops;
        this.contacts = contacts;
        this.scores = scores;
        this.memberships = memberships;
        this.settings = settings;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(new Route(CONTACT_BY_EMAIL_ROUTE, this::contactByEmail), new Route(CONTACT_BY_ID_ROUTE, this::contactById),
                new Route(EXPORT_ROUTE, this::export), new Route(ERASE_ROUTE, this::erase), new Route(AUDIT_ROUTE, this::audit),
                new Route(DO_NOT_SELL_ROUTE, this::doNotSell), new Route(SESSION_ROUTE, this::session));
    }

    /**
     * {@code ?email=}: the contact with that address; {@code ?q=}: contacts whose name, address or id holds the text (at
     * most 20); neither: a page of the shop's contacts to browse ({@code sort=newest|value|active}, {@code segment=},
     * {@code stage=}, {@code offset=}, {@code limit=}).
     */
    HttpResponse contactByEmail(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String q = request.query().get("q");
        if (q != null) return search(shop, q);
        String email = request.query().get("email");
        if (email == null) return browse(shop, request.query());
        if (email == null || !Identity.looksLikeEmail(email)) throw ApiException.badRequest("query parameter email must be an email address");
        Identity identity = Identity.email(email);
        String contactId = contacts.lookup(shop.id(), List.of(identity)).get(identity);
        return view(shop, Optional.ofNullable(contactId), "no contact with email " + identity.value());
    }

    private HttpResponse search(Shop shop, String q) {
        if (q.strip().length() < ContactSearch.MIN_QUERY || q.length() > 200) {
            throw ApiException.badRequest("q must be " + ContactSearch.MIN_QUERY + " to 200 characters: part of a name, an email address or a contact id");
        }
        ContactSearch.Found found = exactly(shop, q.strip())
                .orElseGet(() -> search.find(shop.id(), q, SEARCH_LIMIT, Deadline.after(AudienceAdminApi.SCAN_BUDGET)));
        ObjectNode body = Json.object().put("scanned", found.scanned()).put("complete", found.complete());
        var rows = body.putArray("contacts");
        for (Contact c : found.contacts()) row(rows.addObject(), c);
        return HttpResponse.json(200, body);
    }

    private HttpResponse browse(Shop shop, Map<String, String> query) {
        ContactSearch.Order order;
        try {
            order = ContactSearch.Order.valueOf(query.getOrDefault("sort", "newest"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("sort must be one of newest, value, active");
        }
        int offset = number(query, "offset", 0), limit = number(query, "limit", 50);
        if (limit < 1 || limit > 100 || offset < 0 || offset + limit > ContactSearch.MAX_BROWSE_DEPTH) {
            throw ApiException.badRequest("limit must be 1 to 100, and offset + limit at most " + ContactSearch.MAX_BROWSE_DEPTH);
        }
        ContactSearch.Page page;
        try {
            page = search.browse(shop.id(), order, blankToNull(query.get("segment")), blankToNull(query.get("stage")), offset, limit,
                    Deadline.after(AudienceAdminApi.SCAN_BUDGET));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        ObjectNode body = Json.object().put("sort", order.name()).put("offset", offset).put("count", page.count()).put("estimate", page.estimate())
                .put("scanned", page.scanned()).put("complete", page.complete());
        if (offset + page.contacts().size() < page.count()) body.put("nextOffset", offset + page.contacts().size());
        var rows = body.putArray("contacts");
        for (ContactScan.ScannedContact scanned : page.contacts()) {
            Contact c = scanned.contact();
            ObjectNode row = row(rows.addObject(), c);
            row.put("firstSeen", c.firstSeen() == null ? null : c.firstSeen().toString()).put("stage", scanned.stage())
                    .put("orders", c.commerce().orders()).put("totalSpent", c.commerce().totalSpent()).put("currency", c.commerce().currency());
        }
        return HttpResponse.json(200, body);
    }

    private static int number(Map<String, String> query, String name, int otherwise) {
        String text = query.get(name);
        if (text == null) return otherwise;
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** A contact as the lists show it: id, address, name and when last seen. */
    private static ObjectNode row(ObjectNode row, Contact c) {
        row.put("contactId", c.contactId()).put("email", c.email());
        row.put("firstName", c.traits() == null ? null : c.traits().firstName()).put("lastName", c.traits() == null ? null : c.traits().lastName());
        return row.put("lastSeen", c.lastSeen() == null ? null : c.lastSeen().toString());
    }

    /** A whole address or contact id is looked up by its key, at once, however large the shop; empty when it names no one. */
    private Optional<ContactSearch.Found> exactly(Shop shop, String q) {
        Optional<Contact> contact;
        if (Identity.looksLikeEmail(q)) {
            Identity email = Identity.email(q);
            contact = Optional.ofNullable(contacts.lookup(shop.id(), List.of(email)).get(email)).flatMap(id -> contacts.current(shop.id(), id));
        } else if (q.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            contact = contacts.current(shop.id(), q.toLowerCase(Locale.ROOT));
        } else {
            contact = Optional.empty();
        }
        return contact.filter(c -> c.mergedInto() == null).map(c -> new ContactSearch.Found(List.of(c), 1, true));
    }

    HttpResponse contactById(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = contactId(request);
        return view(shop, Optional.of(id), "no contact " + id);
    }

    /** GDPR / CCPA access: everything held about the person, one JSON document. */
    HttpResponse export(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = contactId(request);
        PrivacyRequests.Export export = privacy.export(shop.id(), id, requester(request)).orElseThrow(() -> ApiException.notFound("no contact " + id));
        return HttpResponse.json(200, Json.object().put("contactId", export.contactId()).put("url", export.link().url())
                .put("expiresAt", export.link().expiresAt().toString()).put("bytes", export.bytes()));
    }

    /** GDPR / CCPA erasure: the person everywhere, their journeys stopped; what the law keeps stays without personal data. */
    HttpResponse erase(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = contactId(request);
        Map<String, Integer> erased = privacy.erase(shop.id(), id, requester(request)).orElseThrow(() -> ApiException.notFound("no contact " + id));
        ObjectNode body = Json.object().put("erased", true);
        body.set("items", Json.MAPPER.valueToTree(erased));
        return HttpResponse.json(200, body);
    }

    /**
     * CCPA's "do not sell or share my personal information", as the person asked the shop (its form, an email, a
     * call): {@code {"doNotSell": true, "evidence": "…"}}, or false when they opt back in. Recorded as their consent
     * for {@code sale_and_sharing}, through the ingest path like any statement of theirs: in the consent ledger with
     * the evidence, on the profile, in the export, and on every later bus event of theirs as {@code doNotSell}.
     */
    HttpResponse doNotSell(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = contactId(request);
        JsonNode body = AdminDocuments.read(request, 4096);
        if (!body.path("doNotSell").isBoolean()) throw ApiException.badRequest("doNotSell must be true or false");
        JsonNode evidence = body.path("evidence");
        if (!evidence.isMissingNode() && !evidence.isNull() && (!evidence.isTextual() || evidence.asText().length() > MAX_EVIDENCE)) {
            throw ApiException.badRequest("evidence must be text of at most " + MAX_EVIDENCE + " characters (how the person asked)");
        }
        Contact contact = contacts.current(shop.id(), id).orElseThrow(() -> ApiException.notFound("no contact " + id));
        boolean optOut = body.get("doNotSell").asBoolean();
        Instant now = clock.instant();
        String stated = requester(request) + (evidence.isTextual() ? ": " + evidence.asText() : "");
        ConsentChange change = new ConsentChange(ConsentChange.SALE_AND_SHARING, optOut ? ConsentChange.State.withdrawn : ConsentChange.State.granted,
                null, now, stated);
        events.record(shop.id(), "do-not-sell:" + id + ":" + UUID.randomUUID(), contact, "Privacy Choice Updated",
                Json.object().put("do_not_sell", optOut), change, null, now);
        return HttpResponse.json(200, Map.of("contactId", contact.contactId(), "doNotSell", optOut));
    }

    /** Every admin change, export and erasure of the shop, newest first ({@code ?limit=}, at most 1000). */
    HttpResponse audit(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        int limit;
        try {
            limit = Integer.parseInt(request.query().getOrDefault("limit", "100"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be a number from 1 to 1000");
        }
        if (limit < 1 || limit > 1000) throw ApiException.badRequest("limit must be a number from 1 to 1000");
        return HttpResponse.json(200, Map.of("entries", audit.recent(shop.id(), limit)));
    }

    private static String contactId(HttpRequest request) {
        String id = request.pathParameter("id");
        if (id == null || !id.matches("[A-Za-z0-9-]{1,64}")) throw ApiException.badRequest("contact id is malformed");
        return id;
    }

    /** Who the token is: its shop, its id and its role, so a client (the dashboard) shows edit controls only to a write token. */
    HttpResponse session(HttpRequest request) {
        ShopDirectory.AdminAccess access = AdminAuth.access(shops, request);
        ObjectNode body = Json.object();
        body.putObject("shop").put("id", access.shop().id()).put("name", access.shop().name());
        body.put("token", access.tokenId()).put("role", access.role().name()).put("canChange", access.role() == Shop.Role.write);
        return HttpResponse.json(200, body);
    }

    /** Who asked, for the audit record: the admin API, the token's id (never the token) and the address the call came from. */
    private String requester(HttpRequest request) {
        return "admin API, " + AdminAccessRules.who(AdminAuth.access(shops, request))
                + (request.sourceIp() == null ? "" : " from " + request.sourceIp());
    }

    private HttpResponse view(Shop shop, Optional<String> contactId, String notFound) {
        Contact contact = contactId.flatMap(id -> contacts.current(shop.id(), id)).orElseThrow(() -> ApiException.notFound(notFound));
        ShopSettings.Snapshot snapshot = settings.current(shop.id());
        ScoreState state = scores.scores(shop.id(), contact.contactId()).value();
        ObjectNode body = Json.object();
        body.set("contact", Json.MAPPER.valueToTree(contact));
        body.put("doNotSell", contact.doNotSell());
        ObjectNode points = body.putObject("scores");
        state.pointsAt(snapshot.scoring(), clock.instant()).forEach((group, p) -> points.put(group, Math.round(p * 100) / 100.0));
        body.put("stage", state.stage());
        body.set("stageHistory", Json.MAPPER.valueToTree(state.history()));
        var segments = body.putArray("segments");
        Map<String, Instant> in = memberships.memberships(shop.id(), contact.contactId()).value();
        for (SegmentDefinition segment : snapshot.segments().all()) {
            Instant since = in.get(segment.id());
            if (since != null) segments.addObject().put("id", segment.id()).put("name", segment.name()).put("since", since.toString());
        }
        Customer customer = Customer.of(contact.commerce(), clock.instant());
        if (customer != null) {
            ClvModel model = clv.current(shop.id());
            ObjectNode predicted = Json.MAPPER.valueToTree(model.predictWithInterval(customer));
            predicted.put("basis", model.priorsOnly() ? "the model's priors: no fit yet" : "fitted on " + model.customers() + " customers at " + model.fittedAt());
            body.set("predicted", predicted);
        }
        // where they stand in the shop's loyalty programme: points, tier, the next tier and what it needs
        loyalty.of(shop.id(), contact).ifPresent(standing -> body.set("loyalty", Json.MAPPER.valueToTree(standing)));
        body.set("events", Json.MAPPER.valueToTree(contacts.recentEvents(shop.id(), contact.historyIds(), RECENT_EVENTS)));
        return HttpResponse.json(200, body);
    }
}
