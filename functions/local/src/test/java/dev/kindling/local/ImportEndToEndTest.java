package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.local.cli.ImportCommand;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A shop moves in: Shopify's own customer and order CSV exports, and a Segment-spec JSONL of another system's history,
 * posted to the admin API and run by the local runtime as the import state machine runs them on AWS (batches through the
 * one ingest path, as history). Every good row counts once, a second import changes nothing, consent carries its
 * evidence, bad rows are reported by line, no journey starts and no email goes out; segments, stages and the
 * lifetime-value model see the history.
 */
class ImportEndToEndTest extends WithSettableRuntime {
    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    ImportEndToEndTest() {
        super(NOW);
    }

    @Test
    void shopifysCustomerAndOrderExportsImportOnceWithConsentAndEvidenceAndSendNothing() throws Exception {
        JsonNode customers = imported("shopify-customers-csv", resource("shopify-customers.csv"));
        assertThat(customers.path("status").asText()).as(customers.toString()).isEqualTo("done");
        assertThat(customers.path("read").asLong()).isEqualTo(5);
        assertThat(customers.path("imported").asLong()).isEqualTo(3);
        assertThat(customers.path("skipped").asLong()).isEqualTo(2);
        // Chloe's note spans lines 4 and 5, so Dev is on line 6 and Elena on 7
        assertThat(customers.path("problems").toString()).contains("{\"line\":6,\"reason\":\"no Email and no Phone")
                .contains("{\"line\":7,\"reason\":\"Email \\\"not-an-email\\\" is not an email address");

        JsonNode orders = imported("shopify-orders-csv", resource("shopify-orders.csv"));
        assertThat(orders.path("status").asText()).as(orders.toString()).isEqualTo("done");
        assertThat(orders.path("read").asLong()).as("orders, not rows: #1001 has two").isEqualTo(5);
        assertThat(orders.path("imported").asLong()).isEqualTo(4);
        // each order joins a customer the customer export made (Kindling knew them): none made anew
        assertThat(orders.path("merged").asLong()).as(orders.toString()).isEqualTo(4);
        assertThat(customers.path("merged").asLong()).as("new profiles, none known before").isZero();
        assertThat(orders.path("problems").toString()).contains("{\"line\":7,\"reason\":\"Created at \\\"yesterday\\\" is not a date");
        client.settle();

        // twice imported: nothing changes
        JsonNode again = imported("shopify-customers-csv", resource("shopify-customers.csv"));
        assertThat(again.path("imported").asLong()).isZero();
        assertThat(again.path("unchanged").asLong()).isEqualTo(3);
        JsonNode ordersAgain = imported("shopify-orders-csv", resource("shopify-orders.csv"));
        assertThat(ordersAgain.path("imported").asLong()).isZero();
        assertThat(ordersAgain.path("unchanged").asLong()).isEqualTo(4);
        client.settle();
        assertThat(client.adminJson("/admin/imports").path("imports")).hasSize(4);

        // consent as the export states it, with the import and the row as evidence; not subscribed stays so
        JsonNode ada = client.adminJson("/admin/contacts?email=ada@example.com");
        String adaJson = ada.toString();
        assertThat(adaJson).contains("granted").contains("shopify customer CSV export, import " + customers.path("id").asText() + " line 2");
        assertThat(client.adminJson("/admin/contacts?email=ben@example.com").toString()).doesNotContain("\"granted\"");
        assertThat(ada.path("contact").path("commerce").toString()).as(adaJson).contains("700");

        // history sends nothing and starts no journey (the welcome journey is on, and Ada and Chloe subscribed)
        assertThat(runtime.outbox().all()).as("no email because of history").isEmpty();
        assertThat(runtime.journeys().executions()).as("no journey because of history").isEmpty();

        // segments see the history: total spent over 500, no order in 180 days
        assertThat(preview("{\"metric\": \"total_spent\", \"op\": \"gt\", \"value\": 500}")).containsExactly("ada@example.com");
        assertThat(preview("{\"metric\": \"days_since_last_order\", \"op\": \"gt\", \"value\": 180}")).containsExactly("ben@example.com");
        assertThat(client.adminJson("/admin/contacts?email=chloe@example.com").path("contact").path("commerce").toString())
                .as("a cancelled order is not a purchase").doesNotContain("\"orders\":1");

        // the contacts page browses them: the most valuable first, then a stage's or a segment's members only
        JsonNode valuable = client.adminJson("/admin/contacts?sort=value&limit=2");
        assertThat(valuable.path("count").asLong()).as(valuable.toString()).isEqualTo(3);
        assertThat(valuable.path("contacts").findValuesAsText("email")).containsExactly("ada@example.com", "ben@example.com");
        assertThat(valuable.path("nextOffset").asInt()).isEqualTo(2);
        assertThat(client.adminJson("/admin/contacts?sort=value&offset=2&limit=2").path("contacts").findValuesAsText("email"))
                .containsExactly("chloe@example.com");
        String adaStage = ada.path("stage").asText();
        assertThat(client.adminJson("/admin/contacts?stage=" + adaStage).path("contacts").findValuesAsText("email")).contains("ada@example.com");
        client.admin("PUT", "/admin/segments/big-spenders", "{\"name\": \"Big spenders\", \"condition\": {\"metric\": \"total_spent\", \"op\": \"gt\", \"value\": 500}}",
                "application/json");
        client.settle();
        assertThat(client.adminJson("/admin/contacts?segment=big-spenders&sort=active").path("contacts").findValuesAsText("email"))
                .containsExactly("ada@example.com");
        assertThat(client.admin("GET", "/admin/contacts?sort=loudest", null, null).statusCode()).isEqualTo(400);
    }

    @Test
    void aSegmentHistoryImportFitsTheLifetimeValueModelAndMovesStagesWithoutAJourney() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            jsonl.append(Json.write(Json.read("""
                    {"type": "identify", "userId": "crm-%d", "messageId": "crm-id-%d", "timestamp": "2026-06-01T10:00:00Z",
                     "traits": {"email": "crm%d@example.com", "first_name": "Crm"}}""".formatted(i, i, i), ObjectNode.class))).append('\n');
            int orders = i < 10 ? 6 : 1;
            for (int k = 0; k < orders; k++) {
                Instant placed = i < 10 ? NOW.minus(Duration.ofDays(84 - 14L * k)) : NOW.minus(Duration.ofDays(90));
                jsonl.append(Json.write(Json.read("""
                        {"type": "track", "event": "Order Completed", "userId": "crm-%d", "messageId": "crm-order-%d-%d", "timestamp": "%s",
                         "properties": {"order_id": "crm-%d-%d", "total": 60.00, "currency": "EUR"}}""".formatted(i, i, k, placed, i, k),
                        ObjectNode.class))).append('\n');
            }
        }
        jsonl.append("{not json\n");
        JsonNode done = imported("segment-jsonl", jsonl.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("done");
        assertThat(done.path("imported").asLong()).isEqualTo(20 + 60 + 10);
        assertThat(done.path("problems").toString()).contains("\"line\":91");
        client.settle();
        assertThat(client.adminJson("/admin/contacts?email=crm0@example.com").path("stage").asText())
                .as("a stage the orders moved").isNotBlank();
        // scored as of each event's own time: one order 90 days ago has decayed with the groups' half-lives (intent 14 days,
        // engagement 30), where scoring it on its arrival would give the full 30 and 10
        JsonNode scores = client.adminJson("/admin/contacts?email=crm10@example.com").path("scores");
        assertThat(scores.path("intent").asDouble()).as(scores.toString()).isCloseTo(30 * Math.pow(0.5, 90 / 14.0), org.assertj.core.api.Assertions.within(0.01));
        assertThat(scores.path("engagement").asDouble()).as(scores.toString()).isCloseTo(10 * Math.pow(0.5, 90 / 30.0), org.assertj.core.api.Assertions.within(0.01));
        // by the importer, each person's batch at once: EventFunction settles their segments and counts them for the reports,
        // and scores none of them (a stage moved live would say it is not historical, and could start a journey)
        assertThat(runtime.bus().invocations()).containsKey("EventFunction");
        assertThat(runtime.bus().recent(5000)).filteredOn(e -> e.path("detail-type").asText().equals("stage.changed")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.path("detail").path("historical").asBoolean()).as(e.toString()).isTrue());
        client.invoke("SegmentRefreshFunction", Json.read("{\"refresh\": \"time-based\"}", ObjectNode.class));
        client.settle();
        assertThat(client.adminJson("/admin/reports/clv").path("basis").asText()).startsWith("fitted on 20 customers (10 ordered again)");
        assertThat(runtime.outbox().all()).isEmpty();
        assertThat(runtime.journeys().executions()).isEmpty();
    }

    @Test
    void aPullFromShopifysAdminApiImportsItsCustomersAndOrdersOnceAndWhatItCannotUseIsReported() throws Exception {
        runtime.close();
        List<JsonNode> customers = List.of(
                Json.read("""
                        {"id": "gid://shopify/Customer/7001", "email": "gql.ada@example.com", "firstName": "Ada", "lastName": "Archer", "state": "ENABLED",
                         "tags": ["vip"], "createdAt": "2025-01-10T10:00:00Z", "updatedAt": "2026-11-01T10:00:00Z", "defaultAddress": {"countryCodeV2": "DE"},
                         "emailMarketingConsent": {"marketingState": "SUBSCRIBED", "marketingOptInLevel": "CONFIRMED_OPT_IN", "consentUpdatedAt": "2025-01-10T10:05:00Z"}}""",
                        JsonNode.class),
                Json.read("""
                        {"id": "gid://shopify/Customer/7002", "email": "gql.ben@example.com", "firstName": "Ben", "updatedAt": "2026-10-01T10:00:00Z",
                         "emailMarketingConsent": {"marketingState": "NOT_SUBSCRIBED", "marketingOptInLevel": null, "consentUpdatedAt": null}}""", JsonNode.class),
                Json.read("{\"id\": \"gid://shopify/Customer/7003\", \"firstName\": \"Nobody\", \"updatedAt\": \"2026-10-01T10:00:00Z\"}", JsonNode.class));
        List<JsonNode> orders = List.of(
                Json.read("""
                        {"id": "gid://shopify/Order/8001", "name": "#2001", "email": "gql.ada@example.com", "createdAt": "2026-11-20T10:00:00Z",
                         "processedAt": "2026-11-20T10:00:00Z", "updatedAt": "2026-11-21T10:00:00Z", "cancelledAt": null, "currencyCode": "EUR",
                         "displayFinancialStatus": "PAID", "displayFulfillmentStatus": "FULFILLED", "discountCodes": [],
                         "totalPriceSet": {"shopMoney": {"amount": "620.00"}}, "subtotalPriceSet": {"shopMoney": {"amount": "620.00"}},
                         "totalTaxSet": {"shopMoney": {"amount": "0.00"}}, "totalDiscountsSet": {"shopMoney": {"amount": "0.00"}},
                         "customer": {"id": "gid://shopify/Customer/7001"}, "refunds": []}""", JsonNode.class),
                Json.read("""
                        {"id": "gid://shopify/LineItem/9001", "title": "Samovar & stand", "sku": "SAM-1", "quantity": 1, "product": {"id": "gid://shopify/Product/3001"},
                         "variant": {"id": "gid://shopify/ProductVariant/4001"}, "originalUnitPriceSet": {"shopMoney": {"amount": "620.00"}},
                         "__parentId": "gid://shopify/Order/8001"}""", JsonNode.class));
        List<JsonNode> products = List.of(Json.read("""
                {"id": "gid://shopify/Product/3001", "title": "Samovar &amp; stand", "handle": "samovar", "productType": "Tea ware", "tags": ["brass"],
                 "onlineStoreUrl": "https://acme.example/products/samovar", "featuredImage": {"url": "https://cdn.acme.example/samovar.jpg"},
                 "priceRangeV2": {"minVariantPrice": {"amount": "620.00"}}}""", JsonNode.class));
        try (ShopifyAdminStandIn shopify = new ShopifyAdminStandIn(customers, orders, products)) {
            startWithShop("acme", "shopifyAdmin: {url: \"%s\", accessToken: \"%s\"}".formatted(shopify.url(), ShopifyAdminStandIn.TOKEN));
            JsonNode first = pulled("acme-admin-token");
            assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("done");
            assertThat(first.path("imported").asLong()).as("2 customers, 1 order, 1 product").isEqualTo(4);
            assertThat(first.path("skipped").asLong()).isEqualTo(1);
            var product = runtime.services().catalog().products("acme", List.of("3001")).get("3001");
            assertThat(product.title()).isEqualTo("Samovar & stand");
            assertThat(product.category()).isEqualTo("Tea ware");
            assertThat(product.url()).isEqualTo("https://acme.example/products/samovar");
            assertThat(first.path("problems").toString()).contains("customer 7003 has no email and no phone");
            assertThat(first.toString()).as("the token is never answered").doesNotContain(ShopifyAdminStandIn.TOKEN);
            client.settle();
            JsonNode second = pulled("acme-admin-token");
            assertThat(second.path("imported").asLong()).as(second.toString()).isZero();
            assertThat(second.path("unchanged").asLong()).isEqualTo(4);
            JsonNode ada = RuntimeClient.json(client.send(java.net.http.HttpRequest.newBuilder(client.url("/admin/contacts?email=gql.ada@example.com"))
                    .header("authorization", "Bearer acme-admin-token")));
            assertThat(ada.toString()).contains("granted").contains("confirmed_opt_in").contains("shopify Admin API import " + first.path("id").asText())
                    .contains("620");
            assertThat(runtime.outbox().all()).isEmpty();
            // a shop without the API configured is told so
            HttpResponse<String> demo = client.admin("POST", "/admin/imports", "{\"source\": \"shopify\"}", "application/json");
            assertThat(demo.statusCode()).isEqualTo(400);
            assertThat(demo.body()).contains("no Shopify Admin API configured");
        }
    }

    @Test
    void aPullFromWooCommercesRestApiReadsEveryPageAndImportsOnce() throws Exception {
        runtime.close();
        List<JsonNode> customers = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            customers.add(Json.read("""
                    {"id": %d, "email": "woo%d@example.com", "first_name": "Woo", "last_name": "Buyer%d", "username": "woo%d",
                     "date_created_gmt": "2025-05-01T10:00:00", "date_modified_gmt": "2025-06-01T10:00:00",
                     "billing": {"email": "woo%d@example.com", "country": "NZ"}}""".formatted(i, i, i, i, i), JsonNode.class));
        }
        List<JsonNode> orders = List.of(
                Json.read("""
                        {"id": 701, "number": "701", "status": "completed", "currency": "NZD", "customer_id": 1, "total": "540.00",
                         "date_created_gmt": "2026-11-10T09:00:00", "date_modified_gmt": "2026-11-12T09:00:00",
                         "billing": {"email": "woo1@example.com", "country": "NZ"},
                         "line_items": [{"id": 1, "name": "Wool throw", "product_id": 31, "quantity": 2, "price": 270, "total": "540.00", "sku": "WT"}]}""",
                        JsonNode.class),
                Json.read("""
                        {"id": 702, "number": "702", "status": "cancelled", "currency": "NZD", "customer_id": 2, "total": "20.00",
                         "date_created_gmt": "2026-11-11T09:00:00", "date_modified_gmt": "2026-11-11T10:00:00",
                         "billing": {"email": "woo2@example.com"}, "line_items": []}""", JsonNode.class));
        List<JsonNode> products = List.of(Json.read("""
                {"id": 31, "name": "Wool throw", "permalink": "https://kiwi.example/product/wool-throw", "price": "270.00",
                 "categories": [{"id": 9, "name": "Home"}], "tags": [{"id": 1, "name": "wool"}], "images": [{"src": "https://kiwi.example/throw.jpg"}]}""",
                JsonNode.class));
        try (WooCommerceStandIn woo = new WooCommerceStandIn(customers, orders, products)) {
            startWithShop("kiwi", "wooCommerceApi: {url: \"%s\", consumerKey: \"%s\", consumerSecret: \"%s\"}"
                    .formatted(woo.url(), WooCommerceStandIn.KEY, WooCommerceStandIn.SECRET));
            JsonNode first = pulled("kiwi-admin-token", "woocommerce");
            assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("done");
            assertThat(first.path("read").asLong()).as("3 customers over 2 pages, 2 orders, 1 product").isEqualTo(6);
            assertThat(first.path("imported").asLong()).isEqualTo(6);
            assertThat(runtime.services().catalog().products("kiwi", List.of("31")).get("31").category()).isEqualTo("Home");
            assertThat(first.toString()).doesNotContain(WooCommerceStandIn.SECRET);
            client.settle();
            assertThat(pulled("kiwi-admin-token", "woocommerce").path("unchanged").asLong()).isEqualTo(6);
            JsonNode buyer = RuntimeClient.json(client.send(java.net.http.HttpRequest.newBuilder(client.url("/admin/contacts?email=woo1@example.com"))
                    .header("authorization", "Bearer kiwi-admin-token")));
            assertThat(buyer.path("contact").path("commerce").toString()).as(buyer.toString()).contains("540");
            assertThat(runtime.outbox().all()).isEmpty();
            assertThat(runtime.journeys().executions()).isEmpty();
        }
    }

    @Test
    void aFileTooLargeForOneCallIsUploadedToASignedLinkAndImportedByItsUploadId() throws Exception {
        HttpResponse<String> asked = client.admin("POST", "/admin/imports/uploads", "", "application/json");
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
        JsonNode upload = RuntimeClient.json(asked);
        assertThat(upload.path("method").asText()).isEqualTo("PUT");
        byte[] file = resource("shopify-orders.csv");
        var http = java.net.http.HttpClient.newHttpClient();
        String tampered = upload.path("url").asText().replaceAll("signature=[0-9a-f]{4}", "signature=0000");
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(tampered)).PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(file))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("an altered link takes nothing").isEqualTo(403);
        HttpResponse<String> put = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(upload.path("url").asText()))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(file)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
        HttpResponse<String> started = client.admin("POST", "/admin/imports?format=shopify-orders-csv&upload=" + upload.path("upload").asText(), "", "text/csv");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode done = followed(RuntimeClient.json(started).path("id").asText(), "demo-admin-token");
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("done");
        assertThat(done.path("imported").asLong()).isEqualTo(4);
        // the file is gone once its import ended: naming the upload again finds nothing
        JsonNode again = followed(RuntimeClient.json(client.admin("POST", "/admin/imports?format=shopify-orders-csv&upload=" + upload.path("upload").asText(),
                "", "text/csv")).path("id").asText(), "demo-admin-token");
        assertThat(again.path("error").asText()).contains("nothing was uploaded");
        // an upload that never came: the import fails and says why
        String never = RuntimeClient.json(client.admin("POST", "/admin/imports/uploads", "", "application/json")).path("upload").asText();
        JsonNode failed = followed(RuntimeClient.json(client.admin("POST", "/admin/imports?format=shopify-orders-csv&upload=" + never, "", "text/csv"))
                .path("id").asText(), "demo-admin-token");
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").asText()).contains("nothing was uploaded");
        // a link expires like a presigned URL
        clock.advance(Duration.ofHours(2));
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(upload.path("url").asText()))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(file)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }

    @Test
    void theCommandLineImportsAFileWithAProgressBarAndSaysWhatItCouldNotUse() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("customers_export", ".csv");
        java.nio.file.Files.write(file, resource("shopify-customers.csv"));
        String url = "http://127.0.0.1:" + runtime.port();
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int code = ImportCommand.run(new String[] {file.toString(), "--format", "shopify-customers-csv", "--url", url}, "demo-admin-token",
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed + err).isZero();
        assertThat(printed).contains("done: 5 read, 3 imported (0 into profiles already known), 0 unchanged, 2 skipped").contains("line 6: no Email and no Phone");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("[##############################] 5 / 5");
        // a file over the direct limit goes through an upload link (here every file: a limit of 0 bytes)
        var uploaded = new java.io.ByteArrayOutputStream();
        java.nio.file.Path orders = java.nio.file.Files.createTempFile("orders_export", ".csv");
        java.nio.file.Files.write(orders, resource("shopify-orders.csv"));
        assertThat(ImportCommand.run(new String[] {orders.toString(), "--format", "shopify-orders-csv", "--url", url}, "demo-admin-token",
                new java.io.PrintStream(uploaded, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8), 0)).isZero();
        assertThat(uploaded.toString(StandardCharsets.UTF_8)).contains("done: 5 read, 4 imported");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("uploading");
        // refused by the API: 1; a usage error (no token): 64
        assertThat(ImportCommand.run(new String[] {file.toString(), "--format", "excel", "--url", url}, "demo-admin-token", new java.io.PrintStream(out),
                new java.io.PrintStream(err))).isEqualTo(1);
        assertThat(ImportCommand.run(new String[] {file.toString(), "--format", "shopify-customers-csv"}, null, new java.io.PrintStream(out),
                new java.io.PrintStream(err))).isEqualTo(64);
    }

    /** The runtime again, serving a second shop {@code id} (admin token {@code <id>-admin-token}) with this platform's API. */
    void startWithShop(String id, String platformApi) throws Exception {
        java.nio.file.Path shops = java.nio.file.Files.createTempFile("shops", ".yaml");
        java.nio.file.Files.writeString(shops, """
                shops:
                  - id: %1$s
                    name: %1$s
                    shopifySecret: %1$s-shopify-secret
                    wooSecret: %1$s-woo-secret
                    writeKey: %1$s-write-key
                    adminToken: %1$s-admin-token
                    linkSecret: %1$s-link-secret-0123456789abcdef0123
                    %2$s
                """.formatted(id, platformApi));
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, shops, clock));
        client = new RuntimeClient(runtime);
    }

    JsonNode pulled(String token) throws Exception {
        return pulled(token, "shopify");
    }

    JsonNode pulled(String token, String source) throws Exception {
        HttpResponse<String> started = client.send(java.net.http.HttpRequest.newBuilder(client.url("/admin/imports"))
                .header("authorization", "Bearer " + token).header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"source\": \"" + source + "\"}")));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        return followed(RuntimeClient.json(started).path("id").asText(), token);
    }

    java.util.List<String> preview(String condition) throws Exception {
        JsonNode preview = RuntimeClient.json(client.admin("POST", "/admin/segments/preview", "{\"condition\": " + condition + "}", "application/json"));
        return preview.path("sample").findValuesAsText("email");
    }

    /** Posts the file and follows the import until it is no longer running. */
    JsonNode imported(String format, byte[] file) throws Exception {
        HttpResponse<String> started = client.send(java.net.http.HttpRequest.newBuilder(client.url("/admin/imports?format=" + format + "&name=" + format))
                .header("authorization", "Bearer demo-admin-token").header("content-type", "text/csv")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(file)));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        return followed(RuntimeClient.json(started).path("id").asText(), "demo-admin-token");
    }

    JsonNode followed(String id, String token) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode status;
        do {
            Thread.sleep(50);
            status = RuntimeClient.json(client.send(java.net.http.HttpRequest.newBuilder(client.url("/admin/imports/" + id))
                    .header("authorization", "Bearer " + token)));
        } while (status.path("status").asText().equals("running") && System.nanoTime() < deadline);
        return status;
    }

    /** The sample exports in events/payloads/imports (the README imports them too). */
    static byte[] resource(String name) throws Exception {
        return java.nio.file.Files.readAllBytes(java.nio.file.Path.of("../../events/payloads/imports", name));
    }
}
