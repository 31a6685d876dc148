package dev.kindling.handler.admin;

import dev.kindling.admin.AdminAccessRules;
import dev.kindling.dashboard.DashboardAssets;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.http.HttpApiHandler;
import dev.kindling.http.Route;
import dev.kindling.http.Router;
import dev.kindling.privacy.AuditLog;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * AdminFunction: the admin API (contacts, scoring, segments, templates, email settings, message log, consent, suppressions,
 * journeys, campaigns, reports), each call authenticated by a shop's admin token, and the marketer's dashboard that calls it.
 */
public final class AdminHandler extends HttpApiHandler {

    /** For Lambda. */
    public AdminHandler() {
        this(AwsWiring.services().adminApiRoutes(), AwsWiring.services().shops(), AwsWiring.services().audit(), AwsWiring.services().clock());
    }

    /** @param api the admin API's routes, each guarded here by the shop's admin token and recorded in its audit log */
    public AdminHandler(List<Route> api, ShopDirectory shops, AuditLog audit, Clock clock) {
        super(new Router(routes(api, shops, audit, clock)));
    }

    private static List<Route> routes(List<Route> api, ShopDirectory shops, AuditLog audit, Clock clock) {
        List<Route> all = new ArrayList<>(AdminAccessRules.guarded(api, shops, audit, clock));
        all.addAll(new DashboardAssets().routes()); // static files with no data: the app signs in to the routes above
        return all;
    }
}
