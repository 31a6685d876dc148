package dev.kindling.local.cli;

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
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code bin/kindling import FILE --format F} or {@code bin/kindling import --from shopify|woocommerce}: an import through
 * the admin API of a running local runtime or a deployed stack. A file over 4 MB is uploaded first to the link the admin
 * API hands out (on AWS a presigned S3 URL). It follows the import with a progress bar and prints the summary with the
 * first problems by line.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = {
        "Imports the shop's history through the admin API: a file (a Shopify customer or order CSV export, Segment-spec JSONL) "
                + "or a pull from the shop's platform (--from shopify|woocommerce), followed with a progress bar. A file over 4 MB is uploaded "
                + "first to the link the admin API hands out. Exit 0 when done, 1 when it failed or was refused."})
public final class ImportCommand implements Callable<Integer> {
    /** What goes in the import call itself: the admin API's {@code ImportAdminApi.MAX_FILE_BYTES}. */
    static final long DIRECT_MAX_BYTES = 4L * 1024 * 1024;

    @ParentCommand
    KindlingCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigCommands.Target target;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "the file to import")
    Path file;

    @Option(names = "--format", description = "the file's format: shopify-customers-csv, shopify-orders-csv or segment-jsonl")
    String format;

    @Option(names = "--from", description = "pull from the shop's platform instead of a file: shopify or woocommerce")
    String from;

    /** A file over this many bytes is uploaded first (POST /admin/imports/uploads, then a PUT to its link). */
    long directMax = DIRECT_MAX_BYTES;

    /** The import as {@code bin/kindling import ARGS} runs it, with a file over {@code directMax} bytes uploaded first. */
    public static int run(String[] args, String token, PrintStream out, PrintStream err, long directMax) {
        CommandLine line = KindlingCli.commandLine(token, out, err);
        ((ImportCommand) line.getSubcommands().get("import").getCommand()).directMax = directMax;
        String[] all = new String[args.length + 1];
        all[0] = "import";
        System.arraycopy(args, 0, all, 1, args.length);
        return line.execute(all);
    }

    public static int run(String[] args, String token, PrintStream out, PrintStream err) {
        return run(args, token, out, err, DIRECT_MAX_BYTES);
    }

    @Override
    public Integer call() throws Exception {
        if ((file == null) == (from == null) || (file != null && format == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give FILE with --format " + ImportFormat.files().replace(", ", "|")
                    + ", or --from shopify|woocommerce");
        }
        AdminClient admin = target.connect(cli, spec);
        try {
            String id = start(admin).path("id").asText();
            JsonNode status;
            while (true) {
                status = admin.get("/admin/imports/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
                cli.err.print("\r" + progress(status));
                if (!"running".equals(status.path("status").asText())) break;
                Thread.sleep(500);
            }
            cli.err.println();
            cli.out.printf(Locale.ROOT, "import %s %s: %,d read, %,d imported (%,d into profiles already known), %,d unchanged, %,d skipped, %,d rows/s%n", id,
                    status.path("status").asText(), status.path("read").asLong(), status.path("imported").asLong(), status.path("merged").asLong(),
                    status.path("unchanged").asLong(), status.path("skipped").asLong(), status.path("rowsPerSecond").asLong());
            for (JsonNode problem : status.path("problems")) cli.out.printf("  line %d: %s%n", problem.path("line").asInt(), problem.path("reason").asText());
            if (status.has("error")) cli.out.println("  " + status.path("error").asText());
            return "done".equals(status.path("status").asText()) ? 0 : KindlingCli.PROBLEM;
        } catch (AdminClient.Refused refused) {
            cli.err.println(refused.getMessage());
            return KindlingCli.PROBLEM;
        }
    }

    /** Starts the import: a pull, the file as the body, or (over {@code directMax} bytes) the file uploaded to a link first. */
    private JsonNode start(AdminClient admin) throws Exception {
        if (file == null) return admin.post("/admin/imports", AdminClient.json(Json.object().put("source", from)), AdminClient.JSON);
        String query = "/admin/imports?format=" + URLEncoder.encode(format, StandardCharsets.UTF_8) + "&name="
                + URLEncoder.encode(file.getFileName().toString(), StandardCharsets.UTF_8);
        if (Files.size(file) <= directMax) return admin.post(query, HttpRequest.BodyPublishers.ofFile(file), "application/octet-stream");
        JsonNode link = admin.post("/admin/imports/uploads", HttpRequest.BodyPublishers.noBody(), null);
        cli.err.printf("uploading %,d bytes…%n", Files.size(file));
        // the link is the storage's (on AWS a presigned S3 URL): it carries its own signature, never the admin token
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link.path("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 200) throw new AdminClient.Refused("the upload was refused (HTTP " + put.statusCode() + "): " + put.body());
        return admin.post(query + "&upload=" + URLEncoder.encode(link.path("upload").asText(), StandardCharsets.UTF_8), HttpRequest.BodyPublishers.noBody(), null);
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
}
