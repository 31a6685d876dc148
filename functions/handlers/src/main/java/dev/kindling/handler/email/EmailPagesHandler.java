package dev.kindling.handler.email;

import dev.kindling.consent.EmailPages;
import dev.kindling.engagement.ReferralLinks;
import dev.kindling.engagement.TextClicks;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.http.HttpApiHandler;
import dev.kindling.http.Route;
import dev.kindling.http.Router;
import dev.kindling.journey.SurveyPages;
import java.util.ArrayList;
import java.util.List;

/**
 * EmailPagesFunction: unsubscribe (RFC 8058 one-click), preference centre, sign-up with double opt-in, view in browser, NPS
 * answers and review intents, and the taps on texts' short links.
 */
public final class EmailPagesHandler extends HttpApiHandler {

    /** For Lambda. */
    public EmailPagesHandler() {
        this(AwsWiring.services().emailPages(), AwsWiring.services().surveyPages(), AwsWiring.services().textClicks(),
                AwsWiring.services().referralLinks());
    }

    public EmailPagesHandler(EmailPages emailPages, SurveyPages surveyPages, TextClicks textClicks, ReferralLinks referralLinks) {
        super(new Router(routes(emailPages, surveyPages, textClicks, referralLinks)));
    }

    private static List<Route> routes(EmailPages emailPages, SurveyPages surveyPages, TextClicks textClicks, ReferralLinks referralLinks) {
        List<Route> routes = new ArrayList<>(emailPages.routes());
        routes.addAll(surveyPages.routes());
        routes.addAll(textClicks.routes());
        routes.addAll(referralLinks.routes());
        return routes;
    }
}
