package dev.kindling.http;

import dev.kindling.retry.Contended;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * Dispatches on API Gateway's route key and turns refusals into their JSON errors. Anything else
 * thrown is a fault of ours: 500 with no detail, so the sender retries (every write is idempotent). A write that kept
 * losing to concurrent writers ({@link Contended}) is not: 503 with {@code Retry-After}.
 *
 * <p>A request that reached the function through a greedy route ({@code ANY /admin/{proxy+}}, its
 * key given with the request's method, {@code GET /admin/{proxy+}}: one
 * route and one invoke permission for the whole admin API, far from Lambda's 20 KB policy limit) is
 * matched here on its method and path instead, as API Gateway would match the routes one by one:
 * a literal segment before a variable ({@code /admin/segments/preview} before
 * {@code /admin/segments/{id}}), its path variables decoded, and the matched route's key given to
 * the action.
 */
public final class Router {
    /** A route with its path as a pattern. */
    private record PathTemplate(Route route, String method, PathPattern path) {
        static PathTemplate of(Route route) {
            int space = route.routeKey().indexOf(' ');
            return new PathTemplate(route, route.routeKey().substring(0, space), PathPattern.of(route.routeKey().substring(space + 1)));
        }
    }

    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final List<PathTemplate> templates;

    public Router(List<Route> routes) {
        routes.forEach(r -> this.routes.put(r.routeKey(), r));
        templates = this.routes.values().stream().map(PathTemplate::of)
                .sorted(Comparator.comparingInt((PathTemplate t) -> t.path().literals()).reversed()).toList();
    }

    public Set<String> routeKeys() {
        return routes.keySet();
    }

    public HttpResponse handle(HttpRequest request) {
        Route route = routes.get(request.routeKey());
        HttpRequest matched = request;
        if (route == null && request.routeKey().contains("+}")) {
            Set<String> allowed = new TreeSet<>();
            String method = request.routeKey().substring(0, request.routeKey().indexOf(' '));
            for (PathTemplate t : templates) {
                Matcher m = t.path().regex().matcher(request.path());
                if (!m.matches()) continue;
                if (!t.method().equals(method)) {
                    allowed.add(t.method());
                    continue;
                }
                route = t.route();
                matched = withRoute(request, t, m);
                break;
            }
            if (route == null && !allowed.isEmpty()) {
                return HttpResponse.error(405, "method_not_allowed", request.path() + " takes " + String.join(", ", allowed))
                        .withHeader("allow", String.join(", ", allowed));
            }
            // a greedy route's key (or a function URL's) names no path of ours: the request's own method and path do
            if (route == null) return HttpResponse.error(404, "not_found", "no route " + method + " " + request.path());
        }
        if (route == null) return HttpResponse.error(404, "not_found", "no route " + request.routeKey());
        try {
            return route.action().apply(matched);
        } catch (ApiException refused) {
            return refused.toResponse();
        } catch (Contended busy) {
            return HttpResponse.error(503, "busy", busy.getMessage() + "; nothing was stored, send it again")
                    .withHeader("retry-after", Integer.toString(Contended.RETRY_AFTER_SECONDS));
        }
    }

    private static HttpRequest withRoute(HttpRequest request, PathTemplate t, Matcher m) {
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < t.path().names().size(); i++) {
            // a path is not a form: '+' stays a plus
            parameters.put(t.path().names().get(i), URLDecoder.decode(m.group(i + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return new HttpRequest(t.route().routeKey(), request.path(), Map.copyOf(parameters), request.query(), request.headers(), request.body(),
                request.sourceIp());
    }
}
