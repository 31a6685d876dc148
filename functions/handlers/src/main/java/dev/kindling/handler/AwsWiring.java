package dev.kindling.handler;

import dev.kindling.aws.s3.S3ImportUploads;
import dev.kindling.aws.s3.S3Objects;
import dev.kindling.imports.ImportUploads;
import dev.kindling.aws.stepfunctions.StepFunctionsImports;
import dev.kindling.aws.dynamodb.MeteredTable;
import dev.kindling.aws.eventbridge.EventBridgePublisher;
import dev.kindling.aws.s3.S3ExportFiles;
import dev.kindling.aws.scheduler.SchedulerCampaignSchedules;
import dev.kindling.aws.ses.SesEmailSender;
import dev.kindling.aws.sms.EndUserMessagingSmsSender;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2Client;
import dev.kindling.aws.sigv4.SigV4Http;
import dev.kindling.aws.sqs.SqsFailedDeliveries;
import dev.kindling.aws.ssm.SsmShops;
import dev.kindling.aws.stepfunctions.StepFunctionsLauncher;
import dev.kindling.email.SenderIdentity;
import dev.kindling.journey.flow.Flow;
import dev.kindling.privacy.ExportFiles;
import dev.kindling.privacy.FailedDeliveries;
import dev.kindling.send.EmailSending;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The {@link Services} as the deployed functions use them, built once per container (and captured
 * in the SnapStart snapshot). Names come from the environment template.yaml sets; endpoints and
 * region from the SDK's own variables (AWS_REGION, AWS_ENDPOINT_URL_*).
 */
public final class AwsWiring {
    private static volatile Services instance;

    private AwsWiring() {}

    public static Services services() {
        if (instance == null) {
            synchronized (AwsWiring.class) {
                if (instance == null) {
                    instance = build();
                    SnapStartPriming.register(instance);
                }
            }
        }
        return instance;
    }

    /** The longest one call to SES or End User Messaging takes, its retries included. */
    static final Duration PROVIDER_CALL = Duration.ofSeconds(20);

    private static Services build() {
        Clock clock = Clock.systemUTC();
        // Every client is built on first use: a function that never publishes, sends or starts a journey never pays for that client.
        MeteredTable table = new MeteredTable(DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(), env("TABLE_NAME"));
        var bus = new EventBridgePublisher(() -> EventBridgeClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                env("EVENT_BUS_NAME"));
        // SSM's and S3's few calls are signed requests, not SDK clients: one signer, one HTTP client for both
        SigV4Http signed = SigV4Http.fromEnvironment(UrlConnectionHttpClient.create());
        ShopDirectory shops = ShopDirectory.refreshing(SsmShops.fromEnvironment(signed, env("SHOPS_PARAMETER_PATH")),
                Duration.ofMinutes(5), clock);
        Duration eventTtl = Duration.ofDays(Long.parseLong(System.getenv().getOrDefault("EVENT_TTL_DAYS", "400")));
        // a bounded call: a live sender is done with SES within EmailSending.ABANDONED_CLAIM's stated time, so a claim older
        // than that was abandoned
        var ses = new SesEmailSender(() -> SesV2Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.apiCallTimeout(PROVIDER_CALL)).build());
        // only the sending functions are given the origination identity; without one, texts are refused with that reason
        var sms = new EndUserMessagingSmsSender(() -> PinpointSmsVoiceV2Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                        .overrideConfiguration(c -> c.apiCallTimeout(PROVIDER_CALL)).build(),
                System.getenv("SMS_ORIGINATION_IDENTITY"), System.getenv("SMS_CONFIGURATION_SET"));
        String rate = System.getenv("SES_MAX_SEND_RATE");
        String textRate = System.getenv("SMS_MAX_SEND_RATE");
        var email = new EmailSending.Config(env("PUBLIC_BASE_URL"), new SenderIdentity(env("SENDER_ADDRESS"), env("SENDER_DOMAIN")), env("SES_CONFIGURATION_SET"),
                rate == null || rate.isBlank() ? null : Double.valueOf(rate), Duration.ofSeconds(5),
                textRate == null || textRate.isBlank() ? null : Double.valueOf(textRate));
        Map<String, String> machines = new HashMap<>();
        String arn = System.getenv("JOURNEY_ARN_" + Flow.MACHINE.toUpperCase(Locale.ROOT));
        if (arn != null && !arn.isBlank()) machines.put(Flow.MACHINE, arn);
        // only the functions that start or stop journeys (JourneyStartFunction, AdminFunction, PrivacyFunction) are given the journey schedule group
        String journeyGroup = System.getenv("JOURNEY_SCHEDULES");
        var journeys = new StepFunctionsLauncher(() -> SfnClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(), machines,
                journeyGroup == null || journeyGroup.isBlank() ? null : new StepFunctionsLauncher.Schedules(
                        () -> SchedulerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(), journeyGroup,
                        System.getenv("JOURNEY_FUNCTION_ARN"), System.getenv("JOURNEY_SCHEDULER_ROLE_ARN"), System.getenv("SCHEDULES_DEAD_LETTER_ARN")));
        // only AdminFunction and CampaignFunction make schedules; the others have none of these set
        var schedules = new SchedulerCampaignSchedules(() -> SchedulerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                new SchedulerCampaignSchedules.Config(System.getenv("SCHEDULE_GROUP"), System.getenv("CAMPAIGN_FUNCTION_ARN"),
                        System.getenv("SCHEDULER_ROLE_ARN"), System.getenv("SCHEDULES_DEAD_LETTER_ARN")));
        // only the erasing functions (AdminFunction, PrivacyFunction) are given the failed-deliveries queue
        String failedQueue = System.getenv("FAILED_DELIVERIES_QUEUE_URL");
        FailedDeliveries failed = failedQueue == null || failedQueue.isBlank()
                ? naming -> { throw new IllegalStateException("FAILED_DELIVERIES_QUEUE_URL is not set: only the erasing functions purge the queue"); }
                : new SqsFailedDeliveries(() -> SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(), failedQueue);
        // only the functions that hand out or erase exports (AdminFunction, PrivacyFunction) are given the bucket
        String exportsBucket = System.getenv("EXPORTS_BUCKET");
        ExportFiles exports = exportsBucket == null || exportsBucket.isBlank() ? new NoExports()
                : S3ExportFiles.fromEnvironment(signed, exportsBucket);
        // only AdminFunction (which starts imports) and ImportFunction (which runs them) are given the imports bucket
        String importsBucket = System.getenv("IMPORTS_BUCKET");
        S3Objects importObjects = importsBucket == null || importsBucket.isBlank() ? null : S3Objects.fromEnvironment(signed, importsBucket);
        String importMachine = System.getenv("IMPORT_STATE_MACHINE_ARN");
        return new Services(table, bus, shops, clock, eventTtl, ses, sms, email, journeys, schedules, failed, exports,
                batches -> new StepFunctionsImports(() -> SfnClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                        importMachine == null || importMachine.isBlank() ? null : importMachine, importObjects),
                importObjects, importObjects == null ? NO_UPLOADS : new S3ImportUploads(importObjects));
    }

    /** A function without the imports bucket hands out no upload link, and says so if asked. */
    private static final ImportUploads NO_UPLOADS = (shopId, uploadId, now) -> {
        throw new IllegalStateException("IMPORTS_BUCKET is not set: only AdminFunction hands out upload links");
    };

    /** A function without the exports bucket: it never exports or erases, and says so if it is asked to. */
    private record NoExports() implements ExportFiles {
        @Override
        public Link publish(String shopId, String contactId, byte[] json, Instant now) {
            throw new IllegalStateException("EXPORTS_BUCKET is not set: only AdminFunction hands out exports");
        }

        @Override
        public void forget(String shopId, String contactId) {
            throw new IllegalStateException("EXPORTS_BUCKET is not set: only AdminFunction and PrivacyFunction erase");
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) throw new IllegalStateException("environment variable " + name + " is not set");
        return value;
    }
}
