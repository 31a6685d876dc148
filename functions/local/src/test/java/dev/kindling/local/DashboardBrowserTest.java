package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.shop.Signatures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core ({@code tools/dashboard-browser.mjs})
 * against a local runtime holding a small demo shop, filled as {@code --demo} fills its own (DemoShop) and then
 * live on real time. The script signs in, draws every page at desktop and phone sizes with no console error and
 * no failed request, makes a segment in the editor and checks its count, schedules a campaign in the UI and finds
 * it in the outbox, erases a contact from its page, and checks a read-only token sees no edit control. Its
 * screenshots are in {@code functions/local/target/screenshots}. Without Chromium (bin/test installs it with
 * apt-get where it can) the test is skipped and says so.
 */
@SlowSuite
@Order(2)
class DashboardBrowserTest {
    static final String READ_TOKEN = "kt_read-only-analyst-token";
    static final String ANALYSTS_OWNER_TOKEN = "kt_analysts-owner-token";
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static LocalRuntime runtime;
    static String base;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM
                + ": the browser tests are skipped (bin/test installs Debian's chromium with apt-get where the machine allows)");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("../../node_modules/playwright-core")), "playwright-core is not installed: run npm ci first (bin/test does)");
        // a second shop with a read-only token, to see the dashboard without edit controls
        Path shops = dir.resolve("shops.yaml");
        Files.writeString(shops, """
                shops:
                  - id: analysts
                    name: Read-only shop
                    writeKey: analysts-write-key
                    adminTokens:
                      - {id: analyst, role: read, sha256: %s}
                      - {id: owner, role: write, sha256: %s}
                """.formatted(Signatures.sha256Hex(READ_TOKEN), Signatures.sha256Hex(ANALYSTS_OWNER_TOKEN)));
        int days = TestSize.of(14, 7);
        SettableClock clock = DemoShop.clock(Instant.now(), days);
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, shops, clock));
        base = "http://127.0.0.1:" + runtime.port();
        // a small demo shop: the same fill as --demo, fewer people and days
        DemoShop.fill(runtime, clock, new ShopSimulation.Mix(TestSize.of(160, 80), 20, 1, 0.6, 0.4, 0), days, System.out);
        // the campaign the test schedules goes out a minute later on the real clock: at night (21:00-08:00 in the
        // customers' zones) quiet hours would rightly defer every email to the morning, so the shop keeps none here
        HttpClient http = HttpClient.newHttpClient();
        ObjectNode settings = (ObjectNode) Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/admin/email/settings"))
                .header("Authorization", "Bearer " + ShopsFile.DEMO.adminToken()).build(), HttpResponse.BodyHandlers.ofString()).body()).path("settings");
        settings.putObject("quietHours").put("start", "00:00").put("end", "00:00").put("defaultTimeZone", "UTC");
        HttpResponse<String> saved = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/email/settings"))
                .header("Authorization", "Bearer " + ShopsFile.DEMO.adminToken()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Json.write(settings))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        // the read-only token's shop keeps its money in euros: the dashboard must show it so
        HttpResponse<String> euros = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/email/settings"))
                .header("Authorization", "Bearer " + ANALYSTS_OWNER_TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"currency\": \"EUR\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(euros.statusCode()).as(euros.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (runtime != null) runtime.close();
    }

    @Test
    void aMarketerSignsInUsesEveryPageMakesASegmentSchedulesACampaignAndErasesAContact() throws Exception {
        Path shots = Path.of("target/screenshots").toAbsolutePath();
        Process node = new ProcessBuilder("node", "tools/dashboard-browser.mjs", base, ShopsFile.DEMO.adminToken(), base, READ_TOKEN, shots.toString())
                .directory(Path.of("../..").toFile()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(node.waitFor()).as(output).isZero();
        assertThat(output).contains("OK").doesNotContain("PROBLEMS");
        assertThat(shots.resolve("overview-desktop.png")).exists();
        assertThat(shots.resolve("overview-phone.png")).exists();
    }

    @Test
    void theAppsFilesAreServedWithoutATokenUnderAPolicyThatRunsOnlyTheirOwnScriptsAndAreRevalidatedByTheirETag() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("content-security-policy").orElseThrow()).contains("script-src 'self'", "frame-ancestors 'none'", "connect-src 'self'");
        assertThat(page.body()).contains("/app/app.js").doesNotContain("demo-admin-token");
        HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create(base + "/app/app.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(script.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        String etag = script.headers().firstValue("etag").orElseThrow();
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(base + "/app/app.js")).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        for (String bad : new String[] {"/app/..%2Fsecrets.js", "/app/missing.js", "/app/app.java"}) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + bad)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as(bad).isEqualTo(404);
        }
    }
}
