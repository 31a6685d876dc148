package dev.kindling.handler.email;

import dev.kindling.consent.EmailPages;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.http.HttpApiHandler;
import dev.kindling.http.Route;
import dev.kindling.http.Router;
import dev.kindling.journey.SurveyPages;
import java.util.ArrayList;
import java.util.List;

/** EmailPagesFunction: unsubscribe (RFC 8058 one-click), preference centre, sign-up with double opt-in, view in browser, NPS answers and review intents. */
public final class EmailPagesHandler extends HttpApiHandler {

    /** For Lambda. */
    public EmailPagesHandler() {
        this(AwsWiring.services().emailPages(), AwsWiring.services().surveyPages());
    }

    public EmailPagesHandler(EmailPages emailPages, SurveyPages surveyPages) {
        super(new Router(routes(emailPages, surveyPages)));
    }

    private static List<Route> routes(EmailPages emailPages, SurveyPages surveyPages) {
        List<Route> routes = new ArrayList<>(emailPages.routes());
        routes.addAll(surveyPages.routes());
        return routes;
    }
}
