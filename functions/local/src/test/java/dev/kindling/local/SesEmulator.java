package dev.kindling.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The npm {@code aws-ses-v2-local} SES v2 emulator (installed by the test command from
 * package-lock.json) on a free loopback port; {@code GET /store} shows what it was sent.
 */
final class SesEmulator implements AutoCloseable {
    static final Path CLI = Path.of("../../node_modules/aws-ses-v2-local/dist/cli.js");
    static final double MAX_SEND_RATE = 50;

    private final Process process;
    final String endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    SesEmulator() throws Exception {
        if (!Files.exists(CLI)) throw new IllegalStateException("aws-ses-v2-local is not installed: run `npm ci` at the repository root (bin/test does)");
        int port = EmulatorProcess.freePort();
        ProcessBuilder builder = new ProcessBuilder("node", CLI.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("AWS_SES_ACCOUNT", Json.write(Json.MAPPER.readTree("""
                {"DedicatedIpAutoWarmupEnabled": false,
                 "Details": {"AdditionalContactEmailAddresses": [], "ContactLanguage": "EN", "MailType": "MARKETING",
                             "ReviewDetails": {"CaseId": "local", "Status": "GRANTED"}, "UseCaseDescription": "tests", "WebsiteURL": "http://127.0.0.1"},
                 "EnforcementStatus": "HEALTHY", "ProductionAccessEnabled": true, "SendingEnabled": true,
                 "SendQuota": {"Max24HourSend": 50000, "MaxSendRate": %s, "SentLast24Hours": 0},
                 "SuppressionAttributes": {"SuppressedReasons": []}}
                """.formatted(MAX_SEND_RATE))));
        process = builder.start();
        endpoint = "http://127.0.0.1:" + port;
        EmulatorProcess.awaitReady(process, endpoint + "/health-check", "aws-ses-v2-local", Duration.ofSeconds(30));
    }

    /** The emails the emulator received, oldest first. */
    JsonNode store() throws Exception {
        return Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(endpoint + "/store")).build(), BodyHandlers.ofString()).body()).path("emails");
    }

    @Override
    public void close() {
        process.destroy();
    }
}
