package dev.kindling.admin;

import dev.kindling.http.ApiException;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.report.EventCatalogue;
import dev.kindling.report.Report;
import dev.kindling.report.Reports;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /admin/reports/{name}?from=&to=}: overview, revenue, funnel, loyalty, email, journeys,
 * campaigns, segments and cost, as JSON or (with {@code Accept: text/csv}) as the report's table in CSV.
 * {@code GET /admin/events[?event=]}: the event names and profile fields the shop has sent (and that event's property
 * names), which the builders offer.
 */
public final class ReportAdminApi {
    private final ShopDirectory shops;
    private final Reports reports;
    private final EventCatalogue catalogue;
    private final Clock clock;

    public ReportAdminApi(ShopDirectory shops, Reports reports, EventCatalogue catalogue, Clock clock) {
        this.shops = shops;
        this.reports = reports;
        this.catalogue = catalogue;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(new Route("GET /admin/reports/{name}", this::report), new Route("GET /admin/events", this::events));
    }

    HttpResponse events(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        EventCatalogue.Names names = catalogue.names(shop.id());
        ObjectNode body = Json.object();
        body.set("events", Json.MAPPER.valueToTree(names.events()));
        body.set("traits", Json.MAPPER.valueToTree(names.traits()));
        String event = request.query() == null ? null : request.query().get("event");
        if (event != null && !event.isBlank()) {
            body.put("event", event);
            body.set("properties", Json.MAPPER.valueToTree(catalogue.properties(shop.id(), event)));
        }
        return HttpResponse.json(200, body);
    }

    HttpResponse report(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String name = request.pathParameters().get("name");
        if (!Reports.NAMES.contains(name)) throw ApiException.notFound("no report '" + name + "'; the reports are " + String.join(", ", Reports.NAMES));
        DayRange days = DayRange.of(request, clock, 30);
        Report report = reports.report(name, shop.id(), days.from(), days.to());
        String accept = request.header("accept");
        if (accept != null && accept.contains("text/csv")) {
            return new HttpResponse(200, Map.of("content-type", "text/csv; charset=utf-8",
                    "content-disposition", "attachment; filename=\"" + name + "-" + days.from() + "-" + days.to() + ".csv\""), report.csv());
        }
        ObjectNode body = report.json().put("report", name);
        String compare = request.query().get("compare");
        if (compare != null) {
            if (!compare.equals("previous_year")) throw ApiException.badRequest("compare takes previous_year");
            // the same days a year earlier (29 February falls back to the 28th): one more read of the same groups
            LocalDate from = days.from().minusYears(1), to = days.to().minusYears(1);
            body.set("compared", reports.report(name, shop.id(), from, to).json().put("from", from.toString()).put("to", to.toString()));
        }
        return HttpResponse.json(200, body);
    }
}
