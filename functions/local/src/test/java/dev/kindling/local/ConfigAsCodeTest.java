package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import dev.kindling.local.cli.KindlingCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shop's configuration as code, as its developer keeps it in git: {@code bin/kindling export}, {@code validate},
 * {@code diff} and {@code apply} against a running runtime, and the admin API's round trip (what a GET answers, a PUT
 * takes back unchanged) that they rest on.
 */
class ConfigAsCodeTest extends WithLocalRuntime {
    static final String TOKEN = "demo-admin-token";

    @TempDir
    Path dir;

    @BeforeEach
    void aShopWithOneOfEverything() throws Exception {
        saved("PUT", "/admin/segments/repeat-buyers", """
                {"name": "Repeat buyers", "condition": {"all": [{"metric": "orders", "op": "gte", "value": 2}, {"trait": "email", "op": "exists"}]}}""");
        saved("PUT", "/admin/segments/vip", """
                {"name": "VIP", "condition": {"all": [{"inSegment": "repeat-buyers"}, {"metric": "total_spent", "op": "gt", "value": 500}]}}""");
        saved("PUT", "/admin/templates/vip-thanks", """
                {"name": "VIP thanks", "subject": "Thank you, {{ contact.first_name | default: 'friend' }}", "topic": "newsletter",
                 "html": "<p>Thank you for being one of our best customers.</p>\\n<p>{{ shop.name }}</p>\\n"}""");
        saved("PUT", "/admin/journeys/vip-welcome", """
                {"name": "VIP welcome", "trigger": {"segment": {"entered": "vip"}},
                 "steps": [{"id": "wait-a-day", "wait": "P1D"}, {"id": "thank", "send": "vip-thanks"}]}""");
        saved("PUT", "/admin/journeys/abandoned-checkout", "{\"holdoutPercent\": 10, \"waits\": {\"wait-first\": \"PT2H\"}}");
        saved("PUT", "/admin/campaigns/vip-news", """
                {"name": "VIP news", "audience": {"segments": ["vip"]}, "message": {"template": "vip-thanks"},
                 "schedule": {"cron": "0 9 ? * MON *", "zone": "UTC"}, "topic": "newsletter"}""");
    }

    @Test
    void anExportedShopDiffsCleanExportsTheSameBytesAgainAndAnEditedFileIsShownThenApplied() throws Exception {
        Run export = cli("export", dir.toString());
        assertThat(export.code).as(export.all()).isZero();
        assertThat(files(dir).keySet()).containsExactly("campaigns/vip-news.yaml", "journeys/abandoned-checkout.yaml", "journeys/vip-welcome.yaml",
                "scoring.yaml", "segments/repeat-buyers.yaml", "segments/vip.yaml", "settings.yaml", "templates/vip-thanks.yaml");
        // the template's HTML as a block of lines, so a change to it is a line in git's diff
        assertThat(Files.readString(dir.resolve("templates/vip-thanks.yaml"))).contains("html: |\n  <p>Thank you for being one of our best customers.</p>\n");
        assertThat(Files.readString(dir.resolve("journeys/abandoned-checkout.yaml"))).isEqualTo("holdoutPercent: 10\nwaits:\n  wait-first: PT2H\n");

        Run clean = cli("diff", dir.toString());
        assertThat(clean.code).as(clean.all()).isZero();
        assertThat(clean.out).contains("nothing would change");

        Path again = Files.createTempDirectory(dir.getParent(), "again");
        assertThat(cli("export", again.toString()).code).isZero();
        assertThat(files(again)).isEqualTo(files(dir));

        Path segment = dir.resolve("segments/vip.yaml");
        Files.writeString(segment, Files.readString(segment).replace("value: 500", "value: 750"));
        Run changed = cli("diff", dir.toString());
        assertThat(changed.code).as(changed.all()).isEqualTo(2);
        assertThat(changed.out).contains("~ segments/vip.yaml", "~ condition.all[1].value: 500 → 750", "1 document(s) would change");

        Run applied = cli("apply", dir.toString());
        assertThat(applied.code).as(applied.all()).isZero();
        assertThat(applied.out).contains("~ segments/vip.yaml saved");
        assertThat(client.adminJson("/admin/segments/vip").at("/segment/condition/all/1/value").asInt()).isEqualTo(750);
        assertThat(client.adminJson("/admin/audit?limit=1").at("/entries/0/subject").asText()).isEqualTo("/admin/segments/vip");
        assertThat(cli("diff", dir.toString()).code).as("applied: nothing left to change").isZero();
        assertThat(cli("apply", dir.toString()).out).as("idempotent").contains("nothing to change");
    }

    /** What {@code bin/kindling-local --demo} configures (its settings, segments and newsletter) exports and diffs clean too. */
    @Test
    void theDemoShopsConfigurationExportsAndDiffsClean() throws Exception {
        try (ShopSimulation demo = new ShopSimulation(runtime, DemoShop.clock(Instant.now(), 0), DemoShop.MIX, 1)) {
            DemoShop.configure(demo);
        }
        assertThat(cli("export", dir.toString()).code).isZero();
        assertThat(files(dir)).containsKeys("segments/high-value.yaml", "segments/subscribers.yaml", "campaigns/weekly-news.yaml");
        assertThat(Files.readString(dir.resolve("settings.yaml"))).startsWith("# Retention is read-only here").contains("websiteUrl: https://shop.example");
        Run diff = cli("diff", dir.toString());
        assertThat(diff.code).as(diff.all()).isZero();
    }

    @Test
    void validateNamesTheFileAndThePathOfEveryProblemOfflineAndReferencesAcrossFiles() throws Exception {
        assertThat(cli("export", dir.toString()).code).isZero();
        Files.writeString(dir.resolve("journeys/broken.yaml"), """
                name: Broken
                trigger: {event: Order Completed}
                steps:
                  - {id: wait, wait: soon}
                  - {id: send, send: no-such-template}
                """);
        Files.writeString(dir.resolve("campaigns/vip-news.yaml"), Files.readString(dir.resolve("campaigns/vip-news.yaml")).replace("- vip", "- nobody"));
        Files.writeString(dir.resolve("segments/bad.yaml"), "name: Bad\ncondition: {metric: orders, op: near, value: 2}\n");
        Files.writeString(dir.resolve("templates/unclosed.yaml"), "name: x\nsubject: 'a: b\n");

        // offline: no server at this address
        Run run = validate();
        assertThat(run.code).isEqualTo(1);
        assertThat(run.out).contains("templates/unclosed.yaml: line ", "not valid YAML");
        Files.delete(dir.resolve("templates/unclosed.yaml"));
        run = validate();
        assertThat(run.code).isEqualTo(1);
        assertThat(run.out).contains("journeys/broken.yaml: steps[0].wait", "journeys/broken.yaml: steps[1].send: no template no-such-template",
                "campaigns/vip-news.yaml: audience.segments", "segments/bad.yaml: condition");
        assertThat(run.err).contains("problem(s) in " + dir);
        // a folder that does not validate is not applied, not even in part
        long auditBefore = client.adminJson("/admin/audit").path("entries").size();
        assertThat(cli("apply", dir.toString()).code).isEqualTo(1);
        assertThat(client.adminJson("/admin/audit").path("entries").size()).isEqualTo(auditBefore);
    }

    @Test
    void pruneRemovesWhatTheFolderNoLongerHasAndOnlyWhenAsked() throws Exception {
        assertThat(cli("export", dir.toString()).code).isZero();
        Files.delete(dir.resolve("campaigns/vip-news.yaml"));
        Files.delete(dir.resolve("journeys/abandoned-checkout.yaml"));
        Run kept = cli("diff", dir.toString());
        assertThat(kept.code).isZero();
        assertThat(kept.out).contains("kept (--prune would remove): campaigns/vip-news.yaml, journeys/abandoned-checkout.yaml");
        Run pruned = cli("diff", dir.toString(), "--prune");
        assertThat(pruned.code).isEqualTo(2);
        // dependents first: the campaign before the journey's settings
        assertThat(pruned.out).containsSubsequence("- campaigns/vip-news.yaml (removed)", "- journeys/abandoned-checkout.yaml (removed)");
        assertThat(cli("apply", dir.toString(), "--prune").code).isZero();
        assertThat(client.admin("GET", "/admin/campaigns/vip-news", null, null).statusCode()).isEqualTo(404);
        assertThat(client.adminJson("/admin/journeys/abandoned-checkout").path("stored").isNull()).as("back to the shipped journey").isTrue();
        assertThat(cli("diff", dir.toString(), "--prune").code).isZero();
    }

    @Test
    void theTokenComesFromTheEnvironmentAndShopGuardsAgainstTheWrongShop() throws Exception {
        Run noToken = new Run(null, "diff", dir.toString(), "--url", url());
        assertThat(noToken.code).isEqualTo(64);
        assertThat(noToken.err).contains("KINDLING_ADMIN_TOKEN is not set");
        Run wrongShop = cli("export", dir.toString(), "--shop", "other");
        assertThat(wrongShop.code).isEqualTo(1);
        assertThat(wrongShop.err).contains("the token is shop demo's, not other's");
        assertThat(dir.resolve("settings.yaml")).doesNotExist();
        Run help = cli("apply", "--help");
        assertThat(help.code).isZero();
        assertThat(help.out).contains("--prune", "saves what differs");
        Run completion = cli("generate-completion");
        assertThat(completion.out).contains("complete -F", "export", "validate", "diff", "apply");
    }

    /** For every document type, what GET answers is taken back by PUT as it is, and leaves the document as it was. */
    @Test
    void whatAGetAnswersAPutTakesBackUnchanged() throws Exception {
        for (String[] document : new String[][] {{"/admin/scoring", "scoring"}, {"/admin/email/settings", "settings"},
                {"/admin/segments/vip", "segment"}, {"/admin/templates/vip-thanks", "template"}, {"/admin/journeys/vip-welcome", "stored"},
                {"/admin/journeys/abandoned-checkout", "stored"}, {"/admin/journeys/welcome", "stored"}, {"/admin/campaigns/vip-news", "definition"}}) {
            JsonNode before = client.adminJson(document[0]);
            HttpResponse<String> put = client.admin("PUT", document[0], Json.write(before), "application/json");
            assertThat(put.statusCode()).as(document[0] + ": " + put.body()).isEqualTo(200);
            assertThat(client.adminJson(document[0]).path(document[1])).as(document[0]).isEqualTo(before.path(document[1]));
        }
        assertThat(client.adminJson("/admin/journeys/welcome").path("stored").isNull()).as("a shipped journey stays as shipped").isTrue();
        // the envelope's document must be one
        HttpResponse<String> notADocument = client.admin("PUT", "/admin/segments/vip", "{\"segment\": 3}", "application/json");
        assertThat(notADocument.statusCode()).isEqualTo(400);
        assertThat(notADocument.body()).contains("segment must be an object");
    }

    private Run validate() throws Exception {
        return new Run(null, "validate", dir.toString());
    }

    private Run cli(String... args) throws Exception {
        String[] all = Stream.concat(Stream.of(args), args.length > 1 && !args[0].equals("validate") && !args[1].startsWith("-")
                ? Stream.of("--url", url()) : Stream.empty()).toArray(String[]::new);
        return new Run(TOKEN, all);
    }

    private String url() {
        return "http://127.0.0.1:" + runtime.port();
    }

    private void saved(String method, String path, String body) throws Exception {
        HttpResponse<String> response = client.admin(method, path, body, "application/json");
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    }

    /** Every file under a folder by its path there, with its text. */
    private static Map<String, String> files(Path root) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) files.put(root.relativize(p).toString(), Files.readString(p));
        }
        return files;
    }

    /** One command line of the CLI, with what it printed and its exit code. */
    static final class Run {
        final int code;
        final String out;
        final String err;

        Run(String token, String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            this.code = KindlingCli.run(args, token, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            this.out = out.toString(StandardCharsets.UTF_8);
            this.err = err.toString(StandardCharsets.UTF_8);
        }

        String all() {
            return out + err;
        }
    }
}
