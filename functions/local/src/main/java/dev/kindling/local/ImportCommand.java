package dev.kindling.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.imports.ImportFormat;
import dev.kindling.json.Json;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code bin/kindling import FILE --format F} or {@code bin/kindling import --from shopify|woocommerce}: an import through
 * the admin API of a running local runtime or a deployed stack ({@code --url}, default {@code http://127.0.0.1:3000}),
 * with the admin token from {@code KINDLING_ADMIN_TOKEN} (never a flag that lands in shell history; the token names the
 * shop). It follows the import with a progress bar and prints the summary with the first problems by line.
 * Exit codes: 0 done, 1 failed or refused, 2 a usage error.
 */
public final class ImportCommand {
    private ImportCommand() {}

    static final String USAGE = "usage: KINDLING_ADMIN_TOKEN=… bin/kindling import FILE --format " + ImportFormat.files().replace(", ", "|")
            + " [--url URL]\n       KINDLING_ADMIN_TOKEN=… bin/kindling import --from shopify|woocommerce [--url URL]";

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.getenv("KINDLING_ADMIN_TOKEN"), System.out, System.err));
    }

    static int run(String[] args, String token, PrintStream out, PrintStream err) throws Exception {
        String url = "http://127.0.0.1:3000", format = null, from = null;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = value(args, ++i);
                case "--format" -> format = value(args, ++i);
                case "--from" -> from = value(args, ++i);
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (args[i].startsWith("--") || file != null) {
                        err.println("unknown argument " + args[i] + "\n" + USAGE);
                        return 2;
                    }
                    file = Path.of(args[i]);
                }
            }
        }
        if (token == null || token.isBlank() || (file == null) == (from == null) || (file != null && format == null)) {
            err.println((token == null || token.isBlank() ? "KINDLING_ADMIN_TOKEN is not set\n" : "") + USAGE);
            return 2;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String base = url.replaceAll("/+$", "");
        HttpRequest.Builder start = file != null
                ? HttpRequest.newBuilder(URI.create(base + "/admin/imports?format=" + URLEncoder.encode(format, StandardCharsets.UTF_8) + "&name="
                        + URLEncoder.encode(file.getFileName().toString(), StandardCharsets.UTF_8))).header("content-type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofFile(file))
                : HttpRequest.newBuilder(URI.create(base + "/admin/imports")).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(Json.object().put("source", from))));
        HttpResponse<String> started = http.send(start.header("authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            err.println("the import was refused (HTTP " + started.statusCode() + "): " + started.body());
            return 1;
        }
        String id = Json.read(started.body(), JsonNode.class).path("id").asText();
        JsonNode status;
        while (true) {
            HttpResponse<String> now = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/imports/" + URLEncoder.encode(id, StandardCharsets.UTF_8)))
                    .header("authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            status = Json.read(now.body(), JsonNode.class);
            err.print("\r" + progress(status));
            if (!"running".equals(status.path("status").asText())) break;
            Thread.sleep(500);
        }
        err.println();
        out.printf(Locale.ROOT, "import %s %s: %,d read, %,d imported, %,d unchanged, %,d skipped, %,d rows/s%n", id, status.path("status").asText(),
                status.path("read").asLong(), status.path("imported").asLong(), status.path("unchanged").asLong(), status.path("skipped").asLong(),
                status.path("rowsPerSecond").asLong());
        for (JsonNode problem : status.path("problems")) out.printf("  line %d: %s%n", problem.path("line").asInt(), problem.path("reason").asText());
        if (status.has("error")) out.println("  " + status.path("error").asText());
        return "done".equals(status.path("status").asText()) ? 0 : 1;
    }

    /** {@code [##########          ]  1,234 / 5,000  320 rows/s  12 s left}; without a total yet, the rows read so far. */
    static String progress(JsonNode status) {
        long read = status.path("read").asLong();
        long total = status.path("total").asLong(0);
        String rate = String.format(Locale.ROOT, "%,d rows/s", status.path("rowsPerSecond").asLong());
        if (total <= 0) return String.format(Locale.ROOT, "%,d read  %s", read, rate);
        int filled = (int) Math.min(30, 30 * read / total);
        String left = status.has("secondsLeft") ? String.format(Locale.ROOT, "  %d s left", status.path("secondsLeft").asLong()) : "";
        return String.format(Locale.ROOT, "[%s%s] %,d / %,d  %s%s", "#".repeat(filled), " ".repeat(30 - filled), read, total, rate, left);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value\n" + USAGE);
        return args[i];
    }
}
