package dev.kindling.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.kindling.aws.dynamodb.KindlingTable;
import dev.kindling.aws.dynamodb.MeteredTable;
import com.sun.net.httpserver.HttpServer;
import dev.kindling.aws.ses.SesEmailSender;
import dev.kindling.campaign.Campaign;
import dev.kindling.campaign.CampaignParser;
import dev.kindling.campaign.CampaignRuns;
import dev.kindling.handler.Services;
import dev.kindling.local.lambda.Invoke;
import dev.kindling.send.EmailSender;
import dev.kindling.email.SenderIdentity;
import dev.kindling.send.EmailSending;
import dev.kindling.shop.ShopDirectory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import dev.kindling.handler.Log;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Kindling on this machine, no AWS account and no Docker: the template's functions behind its HTTP
 * routes on 127.0.0.1, DynamoDB Local in process (or the endpoint AWS_ENDPOINT_URL_DYNAMODB names),
 * the event bus routing by the template's rules, and the template's schedules.
 *
 * <pre>
 * java -jar functions/local/target/kindling-local.jar [--port 3000] [--data-dir .kindling/data] [--shops shops.yaml] [--ses-endpoint URL]
 * </pre>
 */
public final class LocalRuntime implements AutoCloseable {
    public static final String TABLE = "kindling";
    public static final String BUS = "kindling-local";
    /** The SES configuration set template.yaml names under its default Stage ({@code kindling-${Stage}-email}); SES events name it in their tags. */
    public static final String CONFIGURATION_SET = "kindling-dev-email";
    /** SES's default send rate for an account out of the sandbox. */
    static final double LOCAL_SEND_RATE = 14;
    private static final double UNLIMITED_SEND_RATE = 1_000_000;
    /** In a data folder: the runtime clock's instant, saved every second and at the end. */
    static final String CLOCK_FILE = "runtime-clock.txt";

    /**
     * @param sesEndpoint an SES v2 endpoint to send email to (e.g. the aws-ses-v2-local emulator); null: the local outbox
     * @param dynamoPort  DynamoDB Local as a server on this port (0: a free one), so functions in other JVMs
     *                    ({@code bin/kindling invoke}) share its tables; null: embedded, no port
     * @param awsHttp     the HTTP client under the runtime's DynamoDB and SES v2 clients (null: the SDK's URL-connection
     *                    client, as on AWS); the reliability suite's fault injection goes here. Needs DynamoDB on a port.
     */
    public record Options(int port, Path dataDir, Path shopsFile, Clock clock, String sesEndpoint, Integer dynamoPort, SdkHttpClient awsHttp) {
        public Options(int port, Path dataDir, Path shopsFile, Clock clock) {
            this(port, dataDir, shopsFile, clock, null, null);
        }

        public Options(int port, Path dataDir, Path shopsFile, Clock clock, String sesEndpoint, Integer dynamoPort) {
            this(port, dataDir, shopsFile, clock, sesEndpoint, dynamoPort, null);
        }

        public Options withClock(Clock clock) {
            return new Options(port, dataDir, shopsFile, clock, sesEndpoint, dynamoPort, awsHttp);
        }

        /** DynamoDB Local embedded, no port. */
        public Options embeddedDynamo() {
            return new Options(port, dataDir, shopsFile, clock, sesEndpoint, null, awsHttp);
        }

        public Options withAwsHttp(SdkHttpClient http) {
            return new Options(port, dataDir, shopsFile, clock, sesEndpoint, dynamoPort, http);
        }

        public Options(int port, Path dataDir, Path shopsFile, Clock clock, String sesEndpoint) {
            this(port, dataDir, shopsFile, clock, sesEndpoint, null);
        }

        public static Options parse(String[] args, Map<String, String> env) {
            int port = Integer.parseInt(env.getOrDefault("PORT", "3000"));
            Path dataDir = env.containsKey("KINDLING_DATA_DIR") ? Path.of(env.get("KINDLING_DATA_DIR")) : null;
            Path shops = env.containsKey("KINDLING_SHOPS") ? Path.of(env.get("KINDLING_SHOPS")) : null;
            String ses = env.get("AWS_ENDPOINT_URL_SESV2");
            double speed = Double.parseDouble(env.getOrDefault("KINDLING_SPEED", "1"));
            // the command line's runtime serves DynamoDB on a port, so `bin/kindling invoke` can run a function against it
            int dynamoPort = Integer.parseInt(env.getOrDefault("KINDLING_DYNAMODB_PORT", "0"));
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--port" -> { port = Integer.parseInt(require(args[i], value)); i++; }
                    case "--data-dir" -> { dataDir = Path.of(require(args[i], value)); i++; }
                    case "--shops" -> { shops = Path.of(require(args[i], value)); i++; }
                    case "--ses-endpoint" -> { ses = require(args[i], value); i++; }
                    case "--speed" -> { speed = Double.parseDouble(require(args[i], value)); i++; }
                    case "--dynamodb-port" -> { dynamoPort = Integer.parseInt(require(args[i], value)); i++; }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; options: --port N, --data-dir DIR, --shops FILE, --ses-endpoint URL, --speed N, --dynamodb-port N");
                }
            }
            // a data folder remembers how far its runtime's clock got: a restart (with or without --speed) goes on from there
            Instant resumeFrom = dataDir == null ? null : savedClock(dataDir);
            Clock clock = speed == 1 && (resumeFrom == null || !resumeFrom.isAfter(Instant.now()))
                    ? Clock.systemUTC() : new AcceleratedClock(Clock.systemUTC(), speed, resumeFrom);
            return new Options(port, dataDir, shops, clock, ses, dynamoPort);
        }

        /** The runtime clock's instant a previous run saved in the data folder, or null. */
        static Instant savedClock(Path dataDir) {
            try {
                Path file = dataDir.resolve(CLOCK_FILE);
                return Files.exists(file) ? Instant.parse(Files.readString(file).strip()) : null;
            } catch (IOException | DateTimeException unreadable) {
                return null;
            }
        }

        private static String require(String option, String value) {
            if (value == null) throw new IllegalArgumentException(option + " needs a value");
            return value;
        }
    }

    private final EmbeddedDynamo embedded;
    private final Services services;
    private final LocalBus bus;
    private final LocalScheduler scheduler;
    private final LocalStreams streams;
    private final LocalServer server;
    private final LocalOutbox outbox;
    private final LocalSmsOutbox smsOutbox;
    private final LocalExportFiles exports;
    private final LocalImportUploads uploads;
    /** Built with the admin API's parts, on first use (an import posted). */
    private volatile LocalImports imports;
    private final LocalJourneys journeys;
    private final Map<String, RequestStreamHandler> functions = new LinkedHashMap<>();
    private final LocalUsage usage = new LocalUsage();
    private ScheduledExecutorService clockSaver;
    private final Options options;
    private final Path scratch;

    public LocalRuntime(Options options) throws Exception {
        this.options = options;
        SamTemplate template = SamTemplate.fromClasspath();
        ShopDirectory shops = ShopDirectory.of(ShopsFile.load(options.shopsFile()));
        shops.size(); // a shops file with a bad entry stops the runtime now, not at its first request
        DynamoDbClient dynamo;
        DynamoDbStreamsClient dynamoStreams;
        String endpoint = System.getenv("AWS_ENDPOINT_URL_DYNAMODB");
        if (endpoint != null) {
            embedded = null;
            dynamo = local(DynamoDbClient.builder(), endpoint, options.awsHttp()).build();
            dynamoStreams = local(DynamoDbStreamsClient.builder(), endpoint, options.awsHttp()).build();
        } else if (options.dynamoPort() != null) {
            embedded = EmbeddedDynamo.server(options.dynamoPort(), options.dataDir() == null ? null : options.dataDir().resolve("dynamodb"));
            dynamo = options.awsHttp() == null ? embedded.client() : local(DynamoDbClient.builder(), embedded.endpoint(), options.awsHttp()).build();
            dynamoStreams = options.awsHttp() == null ? embedded.streamsClient()
                    : local(DynamoDbStreamsClient.builder(), embedded.endpoint(), options.awsHttp()).build();
        } else {
            if (options.awsHttp() != null) throw new IllegalArgumentException("an HTTP client for AWS needs DynamoDB Local on a port (dynamoPort)");
            embedded = options.dataDir() == null ? EmbeddedDynamo.inMemory() : EmbeddedDynamo.inFolder(options.dataDir());
            dynamo = embedded.client();
            dynamoStreams = embedded.streamsClient();
        }
        // what a data folder keeps must be on disk when a write is answered, as on AWS
        if (options.dataDir() != null) dynamo = AwaitedCommits.of(dynamo);
        KindlingTable.create(dynamo, TABLE);

        Map<String, List<String>> rules = new HashMap<>();
        bus = new LocalBus(BUS, rules, functions, options.clock(), options.dataDir() == null ? null : options.dataDir().resolve("bus"));
        // without a data folder, the outbox, exports and uploads live in one scratch folder that goes when the runtime closes
        scratch = options.dataDir() == null ? Files.createTempDirectory("kindling-runtime") : null;
        Path files = options.dataDir() != null ? options.dataDir() : scratch;
        HttpServer http = LocalServer.bind(options.port());
        String baseUrl = "http://127.0.0.1:" + http.getAddress().getPort();
        EmailSender sender;
        if (options.sesEndpoint() != null) {
            outbox = null;
            sender = new EmulatedSes(new SesEmailSender(local(SesV2Client.builder(), options.sesEndpoint(), options.awsHttp()).build()),
                    options.sesEndpoint());
        } else {
            Path folder = files.resolve("outbox");
            outbox = new LocalOutbox(folder, options.clock(), LOCAL_SEND_RATE, baseUrl);
            outbox.tracking().publishTo(bus::put);
            sender = HaltBeforeSend.wrapIfAsked(outbox);
        }
        smsOutbox = new LocalSmsOutbox(files.resolve("sms"), options.clock());
        String rate = System.getenv("SES_MAX_SEND_RATE");
        // under a clock the caller moves, send slots would be waited for on a clock that stands still
        Double sendRate = rate != null ? Double.valueOf(rate) : options.clock() instanceof SettableClock ? UNLIMITED_SEND_RATE : null;
        // texts are paced only when asked (SMS_MAX_SEND_RATE, an origination identity's MPS), and never on a clock the caller moves
        String textRate = System.getenv("SMS_MAX_SEND_RATE");
        Double textSendRate = textRate == null || options.clock() instanceof SettableClock ? null : Double.valueOf(textRate);
        var email = new EmailSending.Config(baseUrl, new SenderIdentity("hello@kindling.local", "kindling.local"), CONFIGURATION_SET, sendRate, Duration.ofSeconds(5),
                textSendRate);
        journeys = new LocalJourneys(template, functions, options.clock(),
                options.dataDir() == null ? null : options.dataDir().resolve("executions"));
        scheduler = new LocalScheduler(template, functions, options.clock()); // the functions are built next: it fires them once started
        exports = new LocalExportFiles(files.resolve("exports"), baseUrl, options.clock());
        uploads = new LocalImportUploads(files.resolve("imports"), baseUrl, options.clock());
        services = new Services(new MeteredTable(dynamo, TABLE), bus, shops, options.clock(), Duration.ofDays(400), sender, smsOutbox, email, journeys, scheduler, bus,
                exports, batches -> imports = new LocalImports(batches, Services.pulls(), uploads, options.clock()), null, uploads);
        var constructors = LocalFunctions.constructors();
        for (SamTemplate.Function f : template.functions()) {
            var constructor = constructors.get(f.handlerClass());
            if (constructor == null) throw new IllegalStateException("template.yaml names handler " + f.handler() + " that the local runtime cannot build");
            functions.put(f.name(), usage.metered(f.name(), constructor.apply(services)));
            if (!f.eventPatterns().isEmpty()) rules.put(f.name(), f.eventPatterns());
        }
        bus.addRules(rules);
        streams = new LocalStreams(dynamoStreams, dynamo.describeTable(b -> b.tableName(TABLE)).table().latestStreamArn(), template.streams(),
                functions, options.dataDir() == null ? null : options.dataDir().resolve("streams"), options.clock());
        bus.quietAlso(streams::drain);
        restoreCampaignSchedules(shops, options.clock().instant());
        journeys.start();
        int left = bus.redeliver();
        if (left > 0) System.out.println("[local] delivering " + left + " bus deliveries a previous run left in " + options.dataDir());
        // with a clock the caller moves (tests, benchmarks) the caller runs schedules too; timers would fire on real time
        if (!(options.clock() instanceof SettableClock)) scheduler.start();
        streams.start();
        String dynamoEndpoint = endpoint != null ? endpoint : embedded.endpoint();
        var functionEnvironments = new LocalFunctionEnvironments(baseUrl, dynamoEndpoint);
        var awsApi = new LocalAwsApi(bus, ShopsFile.load(options.shopsFile()), journeys, sender, smsOutbox, exports, functionEnvironments.shopsParameterPath());
        server = new LocalServer(http, template, functions, bus, scheduler, outbox, smsOutbox, exports, uploads, options.clock(), awsApi, functionEnvironments,
                usage);
        clockSaver = options.dataDir() == null || options.clock() instanceof SettableClock ? null : saveClockEverySecond(options.dataDir(), options.clock());
    }

    /** A client of a local endpoint: its region, dummy credentials, and the SDK's defaults otherwise (retries as on AWS). */
    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B local(B builder, String endpoint, SdkHttpClient http) {
        builder.endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        if (http != null) builder.httpClient(http);
        else builder.httpClientBuilder(UrlConnectionHttpClient.builder());
        return builder;
    }

    public int port() {
        return server.port();
    }

    /** DynamoDB Local's endpoint for other processes, or null when it runs embedded. */
    public String dynamoEndpoint() {
        return embedded == null ? System.getenv("AWS_ENDPOINT_URL_DYNAMODB") : embedded.endpoint();
    }

    public LocalScheduler scheduler() {
        return scheduler;
    }

    /**
     * Lambda's batching window for the table's stream mappings, on the runtime's clock (none by default: each record goes
     * as it is read); {@link LocalStreams#batchingWindow}.
     */
    public void streamBatchingWindow(Duration window) {
        streams.batchingWindow(window);
    }

    /** Delivers every record of the table's stream still waiting in a batching window. */
    public void flushStreams() {
        streams.flush();
    }

    public LocalBus bus() {
        return bus;
    }

    /** A function of the template by its logical name, as the runtime built it. */
    public RequestStreamHandler function(String name) {
        return functions.get(name);
    }

    public Services services() {
        return services;
    }

    /** Each function's invocations and billed milliseconds so far. */
    public LocalUsage usage() {
        return usage;
    }

    /** The journey engine: executions, and (under a clock the caller moves) running what is due. */
    public LocalJourneys journeys() {
        return journeys;
    }

    /** Where texts go: the local SMS outbox (End User Messaging has no local stand-in but this). */
    public LocalSmsOutbox smsOutbox() {
        return smsOutbox;
    }

    /** The local outbox, or null when email goes to an SES endpoint. */
    public LocalOutbox outbox() {
        return outbox;
    }

    private static ScheduledExecutorService saveClockEverySecond(Path dataDir, Clock clock) {
        var saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runtime-clock");
            t.setDaemon(true);
            return t;
        });
        saver.scheduleAtFixedRate(() -> saveClock(dataDir, clock), 1, 1, TimeUnit.SECONDS);
        return saver;
    }

    private static void saveClock(Path dataDir, Clock clock) {
        try {
            Path next = dataDir.resolve(CLOCK_FILE + ".next");
            Files.writeString(next, clock.instant().toString());
            Files.move(next, dataDir.resolve(CLOCK_FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("[local] could not save the runtime clock: " + e);
        }
    }

    /**
     * The campaigns' schedules made again from the saved campaigns, as EventBridge Scheduler keeps them across our
     * restarts on AWS: each enabled campaign's (paused if its state is, none if cancelled), and each A/B run's decision
     * still to come. With {@code --data-dir} a campaign saved before a restart fires after it.
     */
    private void restoreCampaignSchedules(ShopDirectory shops, Instant now) {
        for (String shopId : shops.ids()) {
            services.email().current(shopId).campaigns().forEach((id, doc) -> {
                Campaign campaign = CampaignParser.stored(id, doc);
                Optional<CampaignRuns.Status> state = services.campaignRuns().state(shopId, id);
                if (state.isPresent() && state.get() == CampaignRuns.Status.cancelled) return;
                scheduler.put(shopId, campaign, now);
                if (state.isPresent() && state.get() == CampaignRuns.Status.paused) scheduler.pause(shopId, id, true, now);
                for (CampaignRuns.Run run : services.campaignRuns().list(shopId, id, RUNS_READ_AT_START)) {
                    if (run.phase() == CampaignRuns.Phase.testing && run.decideAt() != null) scheduler.once(shopId, id, run.runId(), run.decideAt());
                }
            });
        }
    }

    /** A campaign's latest runs looked at for a decision still to come (a test runs one at a time). */
    static final int RUNS_READ_AT_START = 5;

    @Override
    public void close() throws Exception {
        if (clockSaver != null) {
            clockSaver.shutdownNow();
            saveClock(options.dataDir(), options.clock());
        }
        server.close();
        scheduler.close();
        if (imports != null) imports.close();
        journeys.close();
        streams.close();
        bus.close();
        if (embedded != null) embedded.close();
        if (scratch != null) Invoke.deleteTree(scratch);
    }

    /** After a demo shop's skipped past, under its released clock: the schedules and the journeys' waits run on their timers from now on. */
    void goLive() {
        scheduler.start();
        journeys.startTimer();
    }

    public static void main(String[] args) throws Exception {
        boolean demo = Arrays.asList(args).contains("--demo");
        // one line per request and what goes wrong; the functions' own INFO lines (each refresh's counts, each campaign
        // run's outcome) with --verbose
        boolean verbose = Arrays.asList(args).contains("--verbose");
        System.setProperty(LocalServer.REQUEST_LOG, "true");
        System.setProperty(Log.LEVEL_PROPERTY, verbose ? "DEBUG" : "WARN");
        Options options = Options.parse(Arrays.stream(args).filter(a -> !a.equals("--demo") && !a.equals("--verbose")).toArray(String[]::new),
                System.getenv());
        if (demo && (options.clock() instanceof AcceleratedClock || options.sesEndpoint() != null || options.dataDir() != null)) {
            throw new IllegalArgumentException("--demo fills a shop in memory and runs on real time, with the local outbox:"
                    + " it takes none of --speed, --data-dir and --ses-endpoint");
        }
        SettableClock demoClock = demo ? DemoShop.clock(Instant.now(), DemoShop.DAYS) : null;
        if (demo) options = options.withClock(demoClock);
        // the demo keeps DynamoDB Local in process without a port unless one is asked for: every request of its import then
        // skips HTTP and JSON, which made about a third of the time to ready (docs/benchmarks.md "Imports")
        if (demo && !Arrays.asList(args).contains("--dynamodb-port") && System.getenv("KINDLING_DYNAMODB_PORT") == null) options = options.embeddedDynamo();
        long started = System.nanoTime();
        LocalRuntime runtime = new LocalRuntime(options);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runtime.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }));
        if (demo) {
            DemoShop.Imported filled = DemoShop.importPast(runtime, demoClock, DemoShop.HISTORY, System.out);
            System.out.printf("[demo] the demo shop's %d days imported in %.0f s: %,d customers, %,d orders, %,d tracked events (%,d rows)%n",
                    DemoShop.DAYS, filled.took().toMillis() / 1e3, filled.customers(), filled.orders(), filled.visitEvents(), filled.rows());
        }
        System.out.printf("Kindling local runtime ready on http://127.0.0.1:%d in %d ms (DynamoDB Local %s; demo shop 'demo'; email %s; texts to %s)%n",
                runtime.port(), (System.nanoTime() - started) / 1_000_000,
                (options.dataDir() == null ? "in memory" : "in " + options.dataDir())
                        + (runtime.dynamoEndpoint() != null ? " at " + runtime.dynamoEndpoint() : ""),
                runtime.outbox() != null ? "to http://127.0.0.1:" + runtime.port() + "/outbox and " + runtime.outbox().folder() : "to " + options.sesEndpoint(),
                "http://127.0.0.1:" + runtime.port() + "/sms-outbox");
        System.out.printf("Dashboard: http://127.0.0.1:%d/ (sign in with the admin token demo-admin-token)%n", runtime.port());
    }
}
