package dev.kindling.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import dev.kindling.retry.Contended;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The admin API reaches its function through one greedy route ({@code ANY /admin/{proxy+}}); the router then matches
 * each request on method and path as API Gateway matches routes.
 */
class RouterTest {
    final Router router = new Router(List.of(
            new Route("GET /admin/segments/{id}", echo()),
            new Route("PUT /admin/segments/{id}", echo()),
            new Route("POST /admin/segments/preview", echo()),
            new Route("DELETE /admin/suppressions/{email}", echo()),
            new Route("GET /admin/contacts/{id}/messages", echo())));

    @Test
    void aGreedyRequestIsMatchedOnMethodAndPathWithItsVariablesDecoded() {
        JsonNode put = body(router.handle(greedy("PUT", "/admin/segments/vip-buyers")));
        assertThat(put.path("route").asText()).isEqualTo("PUT /admin/segments/{id}");
        assertThat(put.path("id").asText()).isEqualTo("vip-buyers");
        assertThat(body(router.handle(greedy("POST", "/admin/segments/preview"))).path("route").asText())
                .as("a literal segment before a variable").isEqualTo("POST /admin/segments/preview");
        assertThat(body(router.handle(greedy("DELETE", "/admin/suppressions/a%2Bb%40shop.example"))).path("email").asText())
                .isEqualTo("a+b@shop.example");
        assertThat(body(router.handle(greedy("DELETE", "/admin/suppressions/a+b@shop.example"))).path("email").asText())
                .as("a path is not a form: + stays").isEqualTo("a+b@shop.example");
        assertThat(body(router.handle(greedy("GET", "/admin/contacts/c-1/messages"))).path("id").asText()).isEqualTo("c-1");
    }

    @Test
    void aPathServedForOtherMethodsIs405AndAnUnknownPath404() {
        HttpResponse wrongMethod = router.handle(greedy("DELETE", "/admin/segments/preview"));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.headers()).containsEntry("allow", "GET, POST, PUT"); // preview's POST, and {id}'s GET and PUT
        assertThat(body(wrongMethod).path("error").asText()).isEqualTo("method_not_allowed");
        assertThat(router.handle(greedy("GET", "/admin/nothing/here")).status()).isEqualTo(404);
        assertThat(router.handle(greedy("GET", "/admin/segments/a/b")).status()).as("a variable is one segment").isEqualTo(404);
    }

    @Test
    void aRequestOnItsOwnRouteIsDispatchedByItsKey() {
        HttpRequest exact = new HttpRequest("GET /admin/segments/{id}", "/admin/segments/x", Map.of("id", "x"), Map.of(), Map.of(), new byte[0], null);
        assertThat(body(router.handle(exact)).path("id").asText()).isEqualTo("x");
    }

    @Test
    void aWriteThatKeptLosingToConcurrentWritersIs503WithRetryAfterNot500() {
        Router busy = new Router(List.of(new Route("POST /v1/track", request -> {
            throw new Contended("profile kept changing under event e1 for 8 s");
        })));
        HttpResponse answer = busy.handle(new HttpRequest("POST /v1/track", "/v1/track", Map.of(), Map.of(), Map.of(), new byte[0], null));
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers()).containsEntry("retry-after", "1");
        assertThat(body(answer).path("error").asText()).isEqualTo("busy");
        assertThat(body(answer).path("message").asText()).contains("profile kept changing under event e1").contains("nothing was stored");
    }

    static HttpRequest greedy(String method, String path) {
        return new HttpRequest(method + " /admin/{proxy+}", path, Map.of("proxy", path.substring("/admin/".length())), Map.of(), Map.of(),
                new byte[0], null);
    }

    static Function<HttpRequest, HttpResponse> echo() {
        return request -> {
            var out = Json.object().put("route", request.routeKey());
            request.pathParameters().forEach(out::put);
            return HttpResponse.json(200, out);
        };
    }

    static JsonNode body(HttpResponse response) {
        return Json.read(response.body(), JsonNode.class);
    }
}
