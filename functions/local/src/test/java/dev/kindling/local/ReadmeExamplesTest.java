package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's examples, run as a newcomer runs them (bash, curl, jq, openssl) against a local
 * runtime with the real clock, today: every shell example that talks to the local runtime must
 * succeed and answer what the README says. Examples for AWS (sam, aws) and the commands that build
 * or start things (bin/...) are left to their own tests.
 */
class ReadmeExamplesTest {
    private static final Pattern SHELL_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

    static List<String> runnableExamples(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = SHELL_BLOCK.matcher(markdown);
        while (m.find()) {
            String block = m.group(1);
            boolean local = block.contains("http://127.0.0.1:3000");
            boolean elsewhere = block.contains("sam ") || block.contains("aws ") || block.contains("bin/");
            if (local && !elsewhere) blocks.add(block);
        }
        return blocks;
    }

    @Test
    void everyLocalExampleInTheReadmeWorksToday() throws Exception {
        Path root = Path.of("../..");
        List<String> examples = runnableExamples(Files.readString(root.resolve("README.md")));
        assertThat(examples).as("the README's local examples").hasSizeGreaterThanOrEqualTo(4);
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, DaytimeClock.ticking()))) {
            List<String> outputs = new ArrayList<>();
            for (String example : examples) {
                String script = "set -euo pipefail\n" + example.replace("http://127.0.0.1:3000", "http://127.0.0.1:" + runtime.port());
                Process bash = new ProcessBuilder("bash", "-c", script).directory(root.toFile()).redirectErrorStream(true).start();
                String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(bash.waitFor()).as(example + "\n---\n" + output).isZero();
                assertThat(output).as(example + "\n---\n" + output).doesNotContain("\"error\"", "FAILED", "Internal Server Error");
                outputs.add(output);
            }
            String all = String.join("\n", outputs);
            // what the README promises each example answers
            assertThat(all).contains("\"status\":\"accepted\"")                     // the signed Shopify order
                    .contains("\"email\":\"jon@example.com\"")                       // the admin read
                    .contains("\"segmentId\": \"abandoned-checkout\"")              // the checkout entered the segment
                    .contains("\"status\":\"sent\"")                                 // SendFunction through the Invoke API
                    .contains("\"status\":\"SUCCEEDED\"")                            // the journey simulation
                    .contains("\"id\":\"thanks-for-browsing\",\"saved\":true")       // a journey written as data
                    .contains("\"id\":\"weekly-news\",\"saved\":true,\"scheduled\":true") // a campaign and its schedule
                    .contains("\"runsUrl\":\"/admin/campaigns/weekly-news/runs\"")    // run now
                    .contains("\"orders\":1,\"revenue\":403")                        // the sample order in the overview report
                    .contains("{\"status\":\"done\",\"read\":5,\"imported\":3,\"skipped\":2")  // the sample customer export imported
                    .contains("service,what,quantity,unit_price_usd,unit,usd");         // a report as CSV
            assertThat(runtime.outbox().all()).anySatisfy(sent -> assertThat(sent.email().to()).isEqualTo("new@example.com"));
        }
    }

    @Test
    void theExamplesFilterKeepsLocalExamplesOnly() {
        assertThat(runnableExamples("""
                ```sh
                curl http://127.0.0.1:3000/health
                ```
                ```sh
                sam deploy --guided
                ```
                ```sh
                bin/kindling-local
                ```
                """)).containsExactly("curl http://127.0.0.1:3000/health\n");
    }
}
