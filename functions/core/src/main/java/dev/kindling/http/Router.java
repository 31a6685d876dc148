package dev.kindling.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dispatches on API Gateway's route key and turns refusals into their JSON errors. Anything else
 * thrown is a fault of ours: 500 with no detail, so the sender retries (every write is idempotent).
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
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z0-9_]+)(\\+?)}");

    /** A route's path as a pattern: its variables' names, and how many of its segments are literal. */
    private record PathTemplate(Route route, String method, Pattern pattern, List<String> names, int literals) {
        static PathTemplate of(Route route) {
            int space = route.routeKey().indexOf(' ');
            String path = route.routeKey().substring(space + 1);
            StringBuilder regex = new StringBuilder();
            List<String> names = new ArrayList<>();
            Matcher variable = VARIABLE.matcher(path);
            int last = 0;
            while (variable.find()) {
                regex.append(Pattern.quote(path.substring(last, variable.start()))).append(variable.group(2).isEmpty() ? "([^/]+)" : "(.+)");
                names.add(variable.group(1));
                last = variable.end();
            }
            regex.append(Pattern.quote(path.substring(last)));
            int literals = (int) path.chars().filter(c -> c == '/').count() - names.size();
            return new PathTemplate(route, route.routeKey().substring(0, space), Pattern.compile(regex.toString()), List.copyOf(names), literals);
        }
    }

    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final List<PathTemplate> templates;

    public Router(List<Route> routes) {
        routes.forEach(r -> this.routes.put(r.routeKey(), r));
        templates = this.routes.values().stream().map(PathTemplate::of)
                .sorted(Comparator.comparingInt(PathTemplate::literals).reversed()).toList();
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
                Matcher m = t.pattern().matcher(request.path());
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
                ObjectNode body = Json.object().put("error", "method_not_allowed").put("message", request.path() + " takes " + String.join(", ", allowed));
                return new HttpResponse(405, Map.of("content-type", "application/json", "allow", String.join(", ", allowed)), Json.write(body));
            }
        }
        if (route == null) return HttpResponse.error(404, "not_found", "no route " + request.routeKey());
        try {
            return route.action().apply(matched);
        } catch (ApiException refused) {
            return refused.toResponse();
        }
    }

    private static HttpRequest withRoute(HttpRequest request, PathTemplate t, Matcher m) {
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < t.names().size(); i++) {
            // a path is not a form: '+' stays a plus
            parameters.put(t.names().get(i), URLDecoder.decode(m.group(i + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return new HttpRequest(t.route().routeKey(), request.path(), Map.copyOf(parameters), request.query(), request.headers(), request.body(),
                request.sourceIp());
    }
}
