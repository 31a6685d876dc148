package dev.kindling.handler.admin;

import dev.kindling.admin.AdminAccessRules;
import dev.kindling.admin.AdminApi;
import dev.kindling.admin.AudienceAdminApi;
import dev.kindling.admin.EmailAdminApi;
import dev.kindling.admin.CampaignAdminApi;
import dev.kindling.admin.JourneyAdminApi;
import dev.kindling.admin.ReportAdminApi;
import dev.kindling.dashboard.DashboardAssets;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.Services;
import dev.kindling.handler.http.HttpApiHandler;
import dev.kindling.http.Route;
import dev.kindling.http.Router;
import java.util.ArrayList;
import java.util.List;

/**
 * AdminFunction: the admin API (contacts, scoring, segments, templates, email settings, message log, consent, suppressions,
 * journeys, campaigns, reports), each call authenticated by a shop's admin token, and the marketer's dashboard that calls it.
 */
public final class AdminHandler extends HttpApiHandler {

    /** For Lambda. */
    public AdminHandler() {
        this(AwsWiring.services());
    }

    public AdminHandler(Services s) {
        super(new Router(routes(s)));
    }

    private static List<Route> routes(Services s) {
        List<Route> routes = new ArrayList<>(new AdminApi(s.shops(), s.contacts(), s.scores(), s.memberships(), s.settings(), s.clvModels(), s.clock(), s.privacy(),
                s.audit(), s.kindlingEvents(), s.contactSearch()).routes());
        routes.addAll(new AudienceAdminApi(s.shops(), s.settings(), s.memberships(), s.segmentRefresh(), s.bus(), s.clock()).routes());
        routes.addAll(new CampaignAdminApi(s.shops(), s.email(), s.settings(), s.campaignRuns(), s.campaignSchedules(), s.bus(), s.clock()).routes());
        routes.addAll(new JourneyAdminApi(s.shops(), s.email(), s.contacts(), s.emailStats(), s.journeyStarter(), s.kindlingEvents(), s.clock()).routes());
        routes.addAll(new ReportAdminApi(s.shops(), s.reports(), s.clock()).routes());
        routes.addAll(new EmailAdminApi(s.shops(), s.email(), s.contacts(), s.emailVariables(), s.messages(), s.suppressions(), s.emailStats(), s.clock()).routes());
        List<Route> all = new ArrayList<>(AdminAccessRules.guarded(routes, s.shops(), s.audit(), s.clock()));
        all.addAll(new DashboardAssets().routes()); // static files with no data: the app signs in to the routes above
        return all;
    }
}
