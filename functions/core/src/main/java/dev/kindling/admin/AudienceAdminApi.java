package dev.kindling.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.config.ConfigKind;
import dev.kindling.audience.SegmentRefresh;
import dev.kindling.event.BusEvent;
import dev.kindling.event.EventPublisher;
import dev.kindling.campaign.Campaign;
import dev.kindling.campaign.CampaignParser;
import dev.kindling.email.ShopEmail;
import dev.kindling.http.ApiException;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.json.Json;
import dev.kindling.retry.Deadline;
import dev.kindling.scoring.ScoringModel;
import dev.kindling.segment.MembershipStore;
import dev.kindling.segment.SegmentDefinition;
import dev.kindling.segment.SegmentParser;
import dev.kindling.segment.SegmentParser.InvalidSegment;
import dev.kindling.settings.SettingsStore;
import dev.kindling.settings.ShopSettings;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scoring model and the segments of a shop: read, replace, delete, list a segment's members,
 * and preview an unsaved segment. Documents are JSON, or YAML when sent with a YAML content type.
 * A saved segment is backfilled over every contact by the refresh function (it listens for
 * {@code settings.changed}).
 */
public final class AudienceAdminApi {
    static final int MAX_DOCUMENT_BYTES = 256 * 1024;
    /**
     * How long a preview or a search reads contacts before it answers with what it has (the preview with an estimate,
     * {@code about}): with the page in flight and the answer, under 10 s however large the shop, well inside the admin
     * function's 15 s and the HTTP API's 30 s.
     */
    public static final Duration SCAN_BUDGET = Duration.ofSeconds(6);
    static final int MAX_SEGMENTS = 500;
    static final int PREVIEW_SAMPLE = 10;

    private final ShopDirectory shops;
    private final ShopSettings settings;
    private final MembershipStore memberships;
    private final SegmentRefresh refresh;
    private final EventPublisher bus;
    private final ShopEmail email;
    private final Clock clock;

    public AudienceAdminApi(ShopDirectory shops, ShopSettings settings, MembershipStore memberships, SegmentRefresh refresh,
                            EventPublisher bus, ShopEmail email, Clock clock) {
        this.email = email;
        this.shops = shops;
        this.settings = settings;
        this.memberships = memberships;
        this.refresh = refresh;
        this.bus = bus;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET /admin/scoring", this::getScoring),
                new Route("PUT /admin/scoring", this::putScoring),
                new Route("GET /admin/segments", this::listSegments),
                new Route("GET /admin/segments/{id}", this::getSegment),
                new Route("PUT /admin/segments/{id}", this::putSegment),
                new Route("DELETE /admin/segments/{id}", this::deleteSegment),
                new Route("GET /admin/segments/{id}/members", this::members),
                new Route("POST /admin/segments/preview", this::preview));
    }

    /** The shop's segments with their definitions; how many members each has is in {@code GET /admin/reports/segments}. */
    HttpResponse listSegments(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        SettingsStore.Documents docs = store().documents(shop.id());
        ObjectNode body = Json.object().put("version", docs.version());
        var rows = body.putArray("segments");
        docs.segments().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ObjectNode row = rows.addObject().put("id", e.getKey());
            if (e.getValue().isObject()) e.getValue().fields().forEachRemaining(f -> { if (!f.getKey().equals("id")) row.set(f.getKey(), f.getValue()); });
        });
        return HttpResponse.json(200, body);
    }

    HttpResponse getScoring(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        SettingsStore.Documents docs = store().documents(shop.id());
        ObjectNode body = Json.object();
        body.set(ConfigKind.SCORING.envelope(), docs.scoring().orElse(ScoringModel.defaultDocument()));
        body.put("default", docs.scoring().isEmpty()).put("version", docs.version());
        return HttpResponse.json(200, body);
    }

    HttpResponse putScoring(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        JsonNode doc = AdminDocuments.document(request, MAX_DOCUMENT_BYTES, ConfigKind.SCORING);
        long version = store().version(shop.id());
        try {
            ScoringModel.parse(doc);
        } catch (InvalidSegment invalid) {
            throw ApiException.invalid("the scoring model is not valid", invalid.problems());
        }
        if (!store().putScoring(shop.id(), doc, version)) throw changedMeanwhile();
        return HttpResponse.json(200, Json.object().put("version", version + 1).set(ConfigKind.SCORING.envelope(), doc));
    }

    HttpResponse getSegment(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = segmentId(request);
        JsonNode doc = Optional.ofNullable(store().documents(shop.id()).segments().get(id))
                .orElseThrow(() -> ApiException.notFound("no segment " + id));
        return HttpResponse.json(200, Json.object().<ObjectNode>set(ConfigKind.SEGMENTS.envelope(), doc)
                .put("membersUrl", "/admin/segments/" + id + "/members"));
    }

    HttpResponse putSegment(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = segmentId(request);
        JsonNode doc = AdminDocuments.document(request, MAX_DOCUMENT_BYTES, ConfigKind.SEGMENTS);
        if (!doc.isObject()) throw ApiException.invalid("the segment is not valid", List.of("a segment must be an object with name and condition"));
        ObjectNode definition = ((ObjectNode) doc).deepCopy();
        if (definition.has("id") && !id.equals(definition.path("id").asText())) {
            throw ApiException.invalid("the segment is not valid", List.of("id: '" + definition.path("id").asText() + "' differs from the URL's '" + id + "'"));
        }
        definition.put("id", id);
        SettingsStore.Documents docs = store().documents(shop.id());
        // a segment is made once: later saves keep the time it was made, and one made again after a delete is new
        JsonNode saved = docs.segments().get(id);
        if (saved == null) definition.put("createdAt", clock.instant().toString());
        else if (saved.has("createdAt")) definition.set("createdAt", saved.get("createdAt"));
        else definition.remove("createdAt");
        Map<String, JsonNode> next = new HashMap<>(docs.segments());
        next.put(id, definition);
        if (next.size() > MAX_SEGMENTS) throw ApiException.badRequest("a shop can have at most " + MAX_SEGMENTS + " segments");
        validate(next);
        if (!store().putSegment(shop.id(), id, definition, docs.version())) throw changedMeanwhile();
        announce(shop.id(), "saved", id);
        return HttpResponse.json(200, Json.object().put("version", docs.version() + 1).<ObjectNode>set(ConfigKind.SEGMENTS.envelope(), definition)
                .put("membersUrl", "/admin/segments/" + id + "/members"));
    }

    HttpResponse deleteSegment(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = segmentId(request);
        SettingsStore.Documents docs = store().documents(shop.id());
        if (!docs.segments().containsKey(id)) throw ApiException.notFound("no segment " + id);
        // a campaign reads its segments when it runs: without one it names, its audience would silently widen or fail
        List<String> campaigns = new ArrayList<>();
        email.current(shop.id()).campaigns().forEach((campaignId, doc) -> {
            Campaign.Audience audience = CampaignParser.stored(campaignId, doc).audience();
            if (audience.segments().contains(id) || audience.exclude().contains(id)) campaigns.add(campaignId);
        });
        if (!campaigns.isEmpty()) {
            throw ApiException.conflict("segment " + id + " is named by campaign " + String.join(", ", campaigns.stream().sorted().toList())
                    + ": change or delete the campaign first");
        }
        Map<String, JsonNode> next = new HashMap<>(docs.segments());
        next.remove(id);
        try {
            ShopSettings.index(next);
        } catch (IllegalArgumentException referenced) {
            throw ApiException.conflict("segment " + id + " is still used by another segment: " + referenced.getMessage());
        }
        if (!store().deleteSegment(shop.id(), id, docs.version())) throw changedMeanwhile();
        announce(shop.id(), "deleted", id);
        return HttpResponse.json(200, Json.object().put("deleted", id).put("version", docs.version() + 1));
    }

    HttpResponse members(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = segmentId(request);
        if (!store().documents(shop.id()).segments().containsKey(id)) throw ApiException.notFound("no segment " + id);
        int limit = 100;
        String limitText = request.query().get("limit");
        if (limitText != null) {
            if (!limitText.matches("\\d{1,4}") || Integer.parseInt(limitText) < 1 || Integer.parseInt(limitText) > 1000) {
                throw ApiException.badRequest("limit must be a number from 1 to 1000");
            }
            limit = Integer.parseInt(limitText);
        }
        MembershipStore.Page page;
        try {
            page = memberships.members(shop.id(), id, request.query().get("cursor"), limit);
        } catch (IllegalArgumentException badCursor) {
            throw ApiException.badRequest("cursor is not one this API returned");
        }
        ObjectNode body = Json.object();
        body.set("members", Json.MAPPER.valueToTree(page.members()));
        body.put("next", page.next());
        return HttpResponse.json(200, body);
    }

    HttpResponse preview(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        JsonNode doc = AdminDocuments.read(request, MAX_DOCUMENT_BYTES);
        if (!doc.isObject()) throw ApiException.invalid("the segment is not valid", List.of("a segment must be an object with a condition"));
        ObjectNode definition = ((ObjectNode) doc).deepCopy();
        if (!definition.has("id")) definition.put("id", "preview");
        SegmentDefinition parsed = parse(definition);
        Map<String, JsonNode> all = new HashMap<>(store().documents(shop.id()).segments());
        all.put(parsed.id(), definition);
        validate(all);
        SegmentRefresh.Preview preview = refresh.preview(shop.id(), parsed, PREVIEW_SAMPLE, Deadline.after(SCAN_BUDGET));
        ObjectNode body = Json.object().put("count", preview.count()).put("contacts", preview.contacts()).put("complete", preview.complete())
                .put("at", clock.instant().toString());
        if (!preview.complete()) body.put("about", preview.about());
        body.set("sample", preview.sample());
        return HttpResponse.json(200, body);
    }

    private SettingsStore store() {
        return settings.store();
    }

    /**
     * Tells the refresh function to fill (or drop) the segment for every contact; {@code at}: when, so a drop
     * removes only the members from before it (not those of a segment made again under the id meanwhile).
     */
    private void announce(String shopId, String change, String segmentId) {
        Instant now = clock.instant();
        ObjectNode detail = Json.object().put("shopId", shopId).put(change, segmentId).put("at", now.toString());
        bus.publish(List.of(new BusEvent(BusEvent.ADMIN, BusEvent.SETTINGS_CHANGED, now, detail)));
    }

    private static SegmentDefinition parse(JsonNode doc) {
        try {
            return SegmentParser.parse(doc);
        } catch (InvalidSegment invalid) {
            throw ApiException.invalid("the segment is not valid", invalid.problems());
        }
    }

    /** Every segment parses, references only segments that exist, and no two reference each other in a cycle. */
    private static void validate(Map<String, JsonNode> segments) {
        try {
            ShopSettings.index(segments);
        } catch (InvalidSegment invalid) {
            throw ApiException.invalid("the segment is not valid", invalid.problems());
        } catch (IllegalArgumentException refused) {
            throw ApiException.invalid("the segment is not valid", List.of("condition: " + refused.getMessage()));
        }
    }

    private static String segmentId(HttpRequest request) {
        String id = request.pathParameter("id");
        if (id == null || !id.matches(ConfigKind.ID)) {
            throw ApiException.badRequest("segment id must be 1-64 lower-case letters, digits, '-' or '_'");
        }
        return id;
    }

    private static ApiException changedMeanwhile() {
        return ApiException.conflict("the shop's settings changed while this request was checked; send it again");
    }
}
