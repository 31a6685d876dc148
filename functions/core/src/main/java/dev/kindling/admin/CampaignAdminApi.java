package dev.kindling.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.email.TemplateTypes;
import dev.kindling.config.ConfigKind;
import dev.kindling.campaign.Campaign;
import dev.kindling.campaign.CampaignParser;
import dev.kindling.campaign.CampaignRunner;
import dev.kindling.campaign.CampaignRuns;
import dev.kindling.campaign.CampaignSchedules;
import dev.kindling.campaign.Campaigns;
import dev.kindling.email.ShopEmail;
import dev.kindling.event.EventPublisher;
import dev.kindling.http.ApiException;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.json.Json;
import dev.kindling.settings.ShopSettings;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * A shop's campaigns as data ({@link CampaignParser}): saved with their EventBridge Scheduler schedule, run on demand,
 * paused, resumed and cancelled, and their runs with what each did. The ready campaigns ({@link Campaigns}) are read
 * here and switched on by saving them.
 */
public final class CampaignAdminApi {
    static final int MAX_CAMPAIGNS = 100;

    private final ShopDirectory shops;
    private final ShopEmail email;
    private final ShopSettings settings;
    private final CampaignRuns runs;
    private final CampaignSchedules schedules;
    private final EventPublisher bus;
    private final Clock clock;

    public CampaignAdminApi(ShopDirectory shops, ShopEmail email, ShopSettings settings, CampaignRuns runs, CampaignSchedules schedules,
                            EventPublisher bus, Clock clock) {
        this.shops = shops;
        this.email = email;
        this.settings = settings;
        this.runs = runs;
        this.schedules = schedules;
        this.bus = bus;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET /admin/campaigns", this::list),
                new Route("GET /admin/campaigns/{id}", this::get),
                new Route("PUT /admin/campaigns/{id}", this::put),
                new Route("DELETE /admin/campaigns/{id}", this::delete),
                new Route("POST /admin/campaigns/{id}/run", this::run),
                new Route("POST /admin/campaigns/{id}/pause", this::pause),
                new Route("POST /admin/campaigns/{id}/resume", this::resume),
                new Route("POST /admin/campaigns/{id}/cancel", this::cancel),
                new Route("GET /admin/campaigns/{id}/runs", this::runs));
    }

    HttpResponse list(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        var saved = email.current(shop.id()).campaigns();
        ArrayNode list = Json.MAPPER.createArrayNode();
        saved.forEach((id, doc) -> {
            Campaign c = CampaignParser.stored(id, doc);
            ObjectNode row = list.addObject().put("id", id).put("name", c.name()).put("enabled", c.enabled()).put("saved", true)
                    .put("state", runs.state(shop.id(), id).map(Enum::name).orElse(c.enabled() ? "scheduled" : "off"))
                    .put("schedule", c.schedule().onDemand() ? null : c.schedule().expression());
            // the schedule as the document states it, which the dashboard writes in words
            if (doc.has("schedule")) row.set("when", doc.get("schedule"));
        });
        Campaigns.ready().forEach((id, doc) -> {
            if (!saved.containsKey(id)) list.addObject().put("id", id).put("name", doc.path("name").asText(id)).put("enabled", false).put("saved", false).put("ready", true);
        });
        return HttpResponse.json(200, Json.object().set("campaigns", list));
    }

    HttpResponse get(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = request.pathParameter("id");
        JsonNode saved = email.current(shop.id()).campaigns().get(id);
        JsonNode definition = saved != null ? saved : Campaigns.ready().get(id);
        if (definition == null) throw ApiException.notFound("no campaign " + id + "; ready campaigns: " + Campaigns.READY);
        ObjectNode body = Json.object().put("id", id).put("saved", saved != null).put("ready", Campaigns.ready().containsKey(id));
        runs.state(shop.id(), id).ifPresent(s -> body.put("state", s.name()));
        body.set(ConfigKind.CAMPAIGNS.envelope(), definition);
        return HttpResponse.json(200, body);
    }

    /** Checks a definition (every problem named by its path), saves it, and puts its schedule in place (or removes it). */
    HttpResponse put(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = request.pathParameter("id");
        JsonNode doc = AdminDocuments.document(request, 64 * 1024, ConfigKind.CAMPAIGNS);
        ShopEmail.Snapshot snapshot = email.current(shop.id());
        if (!snapshot.campaigns().containsKey(id) && snapshot.campaigns().size() >= MAX_CAMPAIGNS) {
            throw ApiException.badRequest("a shop can have at most " + MAX_CAMPAIGNS + " campaigns");
        }
        var segments = settings.current(shop.id()).segments();
        Campaign campaign;
        try {
            campaign = CampaignParser.parse(id, doc, TemplateTypes.of(snapshot.templates()), segments::contains, snapshot.coupons()::containsKey);
        } catch (CampaignParser.InvalidCampaign invalid) {
            throw ApiException.invalid("campaign " + id + " is not valid", invalid.problems());
        }
        if (!email.store().putCampaign(shop.id(), id, doc, snapshot.version())) {
            throw ApiException.conflict("the shop's email settings changed while this request was checked; send it again");
        }
        boolean cancelled = runs.state(shop.id(), id).filter(s -> s == CampaignRuns.Status.cancelled).isPresent();
        if (cancelled) runs.setState(shop.id(), id, CampaignRuns.Status.running); // saving again is starting again
        schedules.put(shop.id(), campaign, clock.instant()); // or removes it: switched off, or on demand only
        ObjectNode body = Json.object().put("id", id).put("saved", true).put("scheduled", campaign.enabled() && !campaign.schedule().onDemand());
        if (!campaign.schedule().onDemand()) {
            var next = campaign.schedule().fired().next(clock.instant(), clock.instant());
            body.put("nextFiring", next.map(Instant::toString).orElse(null));
        }
        return HttpResponse.json(200, body);
    }

    HttpResponse delete(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = request.pathParameter("id");
        ShopEmail.Snapshot snapshot = email.current(shop.id());
        if (!snapshot.campaigns().containsKey(id)) return HttpResponse.json(200, Json.object().put("id", id).put("deleted", false));
        schedules.delete(shop.id(), id);
        if (!email.store().deleteCampaign(shop.id(), id, snapshot.version())) {
            throw ApiException.conflict("the shop's email settings changed while this request was checked; send it again");
        }
        return HttpResponse.json(200, Json.object().put("id", id).put("deleted", true));
    }

    /** Runs the campaign now (CampaignFunction, through the bus): one run per minute, however often it is asked. */
    HttpResponse run(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = saved(shop, request);
        Instant now = clock.instant();
        bus.publish(List.of(CampaignRunner.request(shop.id(), id, now)));
        return HttpResponse.json(202, Json.object().put("id", id).put("run", CampaignRunner.runId(now)).put("runsUrl", "/admin/campaigns/" + id + "/runs"));
    }

    /** No firing until resumed; a run under way stops after its current page. */
    HttpResponse pause(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = saved(shop, request);
        if (runs.state(shop.id(), id).filter(s -> s == CampaignRuns.Status.cancelled).isPresent()) throw ApiException.conflict("campaign " + id + " is cancelled");
        runs.setState(shop.id(), id, CampaignRuns.Status.paused);
        schedules.pause(shop.id(), id, true, clock.instant());
        return HttpResponse.json(200, Json.object().put("id", id).put("state", "paused"));
    }

    /** Fires again on its schedule, and every paused run goes on from where it stopped. */
    HttpResponse resume(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = saved(shop, request);
        if (runs.state(shop.id(), id).filter(s -> s == CampaignRuns.Status.cancelled).isPresent()) {
            throw ApiException.conflict("campaign " + id + " is cancelled: save it again to start it again");
        }
        runs.setState(shop.id(), id, CampaignRuns.Status.running);
        schedules.pause(shop.id(), id, false, clock.instant());
        int resumed = 0;
        for (CampaignRuns.Run run : runs.list(shop.id(), id, 20)) {
            if (run.status() != CampaignRuns.Status.paused) continue;
            bus.publish(List.of(CampaignRunner.request(shop.id(), id, run, clock.instant())));
            resumed++;
        }
        return HttpResponse.json(200, Json.object().put("id", id).put("state", "running").put("runsResumed", resumed));
    }

    /** No firing ever again (its schedule is deleted) and runs under way stop; saving the campaign again starts it afresh. */
    HttpResponse cancel(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = saved(shop, request);
        runs.setState(shop.id(), id, CampaignRuns.Status.cancelled);
        schedules.delete(shop.id(), id);
        return HttpResponse.json(200, Json.object().put("id", id).put("state", "cancelled"));
    }

    HttpResponse runs(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = saved(shop, request);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (CampaignRuns.Run run : runs.list(shop.id(), id, 50)) {
            ObjectNode r = list.addObject().put("run", run.runId()).put("phase", run.phase().name()).put("status", run.status().name())
                    .put("startedAt", run.startedAt().toString()).put("updatedAt", run.updatedAt().toString());
            r.set("counts", Json.MAPPER.valueToTree(run.counts()));
            r.set("sentByVariant", Json.MAPPER.valueToTree(run.sentByVariant()));
            if (run.decideAt() != null) r.put("decideAt", run.decideAt().toString());
            if (run.decision() != null) r.set("decision", run.decision());
        }
        return HttpResponse.json(200, Json.object().put("id", id).set("runs", list));
    }

    private String saved(Shop shop, HttpRequest request) {
        String id = request.pathParameter("id");
        if (!email.current(shop.id()).campaigns().containsKey(id)) throw ApiException.notFound("no saved campaign " + id);
        return id;
    }
}
