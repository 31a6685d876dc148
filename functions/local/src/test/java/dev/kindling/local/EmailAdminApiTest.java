package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.catalog.Product;
import dev.kindling.catalog.Recommendations;
import dev.kindling.json.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Templates and email settings through the admin API: checked before saving, previewed, used by sends; recommendations from ingested orders. */
class EmailAdminApiTest {
    static final String PROMO = """
            name: Spring promo
            subject: "{{ contact.first_name | default: 'Hello' }}, spring is here"
            preheader: New season, new picks.
            topic: deals
            html: |
              <h1>Spring picks for {{ contact.first_name | default: "you" }}</h1>
              {% assign products = recommendations %}{% include 'product-grid' %}
            """;

    static LocalRuntime runtime;
    static RuntimeClient client;

    @BeforeAll
    static void start() throws Exception {
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, DaytimeClock.ticking()));
        client = new RuntimeClient(runtime);
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    @Test
    void aTemplateIsCheckedBeforeItIsSavedAndEveryProblemIsNamed() throws Exception {
        HttpResponse<String> bad = client.admin("PUT", "/admin/templates/broken", """
                subject: "Hi {{ contact.first_name }"
                html: |
                  <p>{{ contcat.email }}</p>
                  {% include 'no-such-partial' %}
                topic: gossip
                """, "application/yaml");
        assertThat(bad.statusCode()).isEqualTo(400);
        JsonNode problems = RuntimeClient.json(bad).path("problems");
        assertThat(problems.findValuesAsText("")).isEmpty();
        assertThat(Json.write(problems)).contains("subject line 1").contains("html line 1: unknown variable 'contcat.email'")
                .contains("html line 2: no partial named 'no-such-partial'").contains("topic: no topic 'gossip'");
        assertThat(client.admin("GET", "/admin/templates/broken", null, null).statusCode()).as("nothing saved").isEqualTo(404);

        for (String body : new String[] {"", "not: [valid", "[1]"}) {
            assertThat(client.admin("PUT", "/admin/templates/x", body, "application/yaml").statusCode()).as(body).isEqualTo(400);
        }
        assertThat(client.admin("PUT", "/admin/templates/Bad%20Id", PROMO, "application/yaml").statusCode()).isEqualTo(400);
        assertThat(client.admin("PUT", "/admin/templates/big", "html: \"" + "x".repeat(300 * 1024) + "\"", "application/yaml").statusCode()).isEqualTo(413);
        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(client.url("/admin/templates")).GET());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void aSavedTemplateIsPreviewedAndSentAndALayoutInUseCannotBeBroken() throws Exception {
        HttpResponse<String> saved = client.admin("PUT", "/admin/templates/spring-promo", PROMO, "application/yaml");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        JsonNode list = client.adminJson("/admin/templates").path("templates");
        assertThat(list.findValuesAsText("id")).contains("spring-promo", "abandoned-checkout", "default-layout");

        JsonNode sample = RuntimeClient.json(client.admin("POST", "/admin/templates/spring-promo/render", null, null));
        assertThat(sample.path("subject").asText()).isEqualTo("Jane, spring is here");
        assertThat(sample.path("html").asText()).contains("Leather belt").contains("Spring picks for Jane");

        String contactId = EmailEndToEndTest.subscribedCustomer(client, "preview@example.com", 7001);
        JsonNode forContact = RuntimeClient.json(client.admin("POST", "/admin/templates/spring-promo/render",
                "{\"contactId\":\"" + contactId + "\"}", "application/json"));
        assertThat(forContact.path("subject").asText()).isEqualTo("Jon, spring is here");
        JsonNode result = client.invoke("SendFunction", EmailEndToEndTest.sendRequest(contactId, "spring-promo", "marketing", "promo-1"));
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("sent");
        assertThat(runtime.outbox().all().getLast().email().subject()).isEqualTo("Jon, spring is here");

        HttpResponse<String> brokenLayout = client.admin("PUT", "/admin/templates/default-layout",
                "{\"type\":\"layout\",\"html\":\"<html><body>{{ contnet }}</body></html>\"}", "application/json");
        assertThat(brokenLayout.statusCode()).isEqualTo(400);
        assertThat(brokenLayout.body()).contains("unknown variable 'contnet'").contains("a layout places the email with {{ content }}");
        HttpResponse<String> renderError = client.admin("POST", "/admin/templates/spring-promo/render",
                "{\"template\":{\"subject\":\"x\",\"html\":\"{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}\"}}", "application/json");
        assertThat(renderError.statusCode()).isEqualTo(422);
        assertThat(RuntimeClient.json(renderError).path("template").asText()).isEqualTo("spring-promo");
    }

    @Test
    void emailSettingsAreCheckedAndTheirTopicsAppearInThePreferenceCentre() throws Exception {
        HttpResponse<String> bad = client.admin("PUT", "/admin/email/settings",
                "{\"fromAddress\":\"nope\",\"frequencyCap\":{\"count\":0,\"hours\":24},\"quietHours\":{\"start\":\"25:00\",\"end\":\"08:00\"},\"topics\":[{\"id\":\"Bad Id\"}]}",
                "application/json");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("fromAddress").contains("frequencyCap.count").contains("quietHours").contains("topics[0].id");
        // the send functions may use only the stack's SES identity (SenderDomain, kindling.local here): IAM would refuse every send
        HttpResponse<String> offDomain = client.admin("PUT", "/admin/email/settings", "{\"fromAddress\":\"hello@demo-shop.example\"}", "application/json");
        assertThat(offDomain.statusCode()).isEqualTo(400);
        assertThat(RuntimeClient.json(offDomain).path("problems").toString()).contains("fromAddress: hello@demo-shop.example is not on kindling.local");
        assertThat(client.adminJson("/admin/email/settings").path("settings").path("fromAddress").isTextual()).as("nothing saved").isFalse();
        HttpResponse<String> ok = client.admin("PUT", "/admin/email/settings", """
                fromAddress: hello@news.kindling.local
                fromName: Demo Shop
                brand: {name: Demo Shop, postalAddress: "1 Shop Street, Springfield"}
                topics:
                  - {id: deals, name: Deals}
                  - {id: stories, name: Stories from the workshop}
                """, "application/yaml");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode settings = client.adminJson("/admin/email/settings").path("settings");
        assertThat(settings.path("frequencyCap").path("count").asInt()).as("defaults fill what was left out").isEqualTo(2);
        assertThat(settings.path("topics").findValuesAsText("id")).containsExactly("deals", "stories");
    }

    @Test
    void recommendationsComeFromCoPurchasesThenSimilarProductsThenBestSellersAndSkipWhatWasBought() throws Exception {
        order("rec-1", "u1", List.of(product("A", "shirts"), product("B", "bags")));
        order("rec-2", "u2", List.of(product("A", "shirts"), product("B", "bags")));
        order("rec-3", "u3", List.of(product("A", "shirts"), product("C", "socks")));
        order("rec-4", "u4", List.of(product("E", "hats")));
        order("rec-5", "u5", List.of(product("E", "hats")));
        var view = Json.object().put("userId", "u6").put("event", "Product Viewed").put("messageId", "view-D");
        view.putObject("properties").put("product_id", "D").put("name", "Product D").put("price", "10.00").put("category", "shirts");
        client.track("track", view);
        client.settle();

        List<Product> picks = new Recommendations(runtime.services().catalog()).recommend("demo", List.of("A"), Set.of("C"), 4);
        assertThat(picks).extracting(Product::id).containsExactly("B", "D", "E");
        assertThat(picks.getFirst().title()).isEqualTo("Product B");
    }

    static void order(String orderId, String userId, List<ObjectNode> products) throws Exception {
        var body = Json.object().put("userId", userId).put("event", "Order Completed").put("messageId", "order-" + orderId);
        var props = body.putObject("properties").put("order_id", orderId).put("total", "20.00");
        products.forEach(props.putArray("products")::add);
        // orders come from the shop's backend (its secret server key): a tracked order from the write key is no sale
        HttpResponse<String> response = client.server("track", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    static ObjectNode product(String id, String category) {
        return Json.object().put("product_id", id).put("name", "Product " + id).put("price", "10.00").put("quantity", 1).put("category", category);
    }

}
