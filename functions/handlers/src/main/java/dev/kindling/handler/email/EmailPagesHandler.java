package dev.kindling.handler.email;

import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.Services;
import dev.kindling.handler.http.HttpApiHandler;
import dev.kindling.http.Router;

/** EmailPagesFunction: unsubscribe (RFC 8058 one-click), preference centre, sign-up with double opt-in, view in browser, NPS answers and review intents. */
public final class EmailPagesHandler extends HttpApiHandler {

    /** For Lambda. */
    public EmailPagesHandler() {
        this(AwsWiring.services());
    }

    public EmailPagesHandler(Services services) {
        super(new Router(routes(services)));
    }

    private static java.util.List<dev.kindling.http.Route> routes(Services services) {
        java.util.List<dev.kindling.http.Route> routes = new java.util.ArrayList<>(services.emailPages().routes());
        routes.addAll(services.surveyPages().routes());
        return routes;
    }
}
