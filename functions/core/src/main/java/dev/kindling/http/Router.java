package dev.kindling.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dispatches on API Gateway's route key and turns refusals into their JSON errors. Anything else
 * thrown is a fault of ours: 500 with no detail, so the sender retries (every write is idempotent).
 */
public final class Router {
    private final Map<String, Route> routes = new LinkedHashMap<>();

    public Router(List<Route> routes) {
        routes.forEach(r -> this.routes.put(r.routeKey(), r));
    }

    public Set<String> routeKeys() {
        return routes.keySet();
    }

    public HttpResponse handle(HttpRequest request) {
        Route route = routes.get(request.routeKey());
        if (route == null) return HttpResponse.error(404, "not_found", "no route " + request.routeKey());
        try {
            return route.action().apply(request);
        } catch (ApiException refused) {
            return refused.toResponse();
        }
    }
}
