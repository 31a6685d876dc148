package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.aws.dynamodb.DynamoContactStore;
import dev.kindling.aws.dynamodb.KindlingTable;
import dev.kindling.aws.dynamodb.MeteredTable;
import dev.kindling.aws.eventbridge.EventBridgePublisher;
import dev.kindling.contact.Identity;
import dev.kindling.ingest.IngestApi;
import dev.kindling.ratelimit.SignUpLimits;
import dev.kindling.aws.dynamodb.DynamoRateLimits;
import dev.kindling.ingest.Ingestor;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.Router;
import dev.kindling.shop.ShopDirectory;
import dev.kindling.shop.Signatures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.containers.localstack.LocalStackContainer.Service;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** The deployed shape of ingest (DynamoDB + EventBridge) on LocalStack. Runs where Docker runs; skipped elsewhere. */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackIngestTest {
    @Container
    static final LocalStackContainer localstack = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
            .withServices(Service.DYNAMODB, Service.valueOf("EVENTS"));

    @Test
    void aSignedShopifyOrderIsStoredInDynamoDbAndPublishedOnEventBridge() throws Exception {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(localstack.getAccessKey(), localstack.getSecretKey()));
        Region region = Region.of(localstack.getRegion());
        DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(localstack.getEndpoint()).region(region)
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        EventBridgeClient events = EventBridgeClient.builder().endpointOverride(localstack.getEndpoint()).region(region)
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        KindlingTable.create(dynamo, "kindling");
        events.createEventBus(b -> b.name("kindling-test"));
        DynamoContactStore store = new DynamoContactStore(new MeteredTable(dynamo, "kindling"), Clock.systemUTC(), Duration.ofDays(1));
        Router router = new Router(new IngestApi(ShopDirectory.of(List.of(ShopsFile.DEMO)),
                new Ingestor(store, new EventBridgePublisher(events, "kindling-test")),
                new SignUpLimits(new DynamoRateLimits(new MeteredTable(dynamo, "kindling"))), Clock.systemUTC()).routes());

        byte[] body = Files.readAllBytes(Path.of("../../events/payloads/shopify-orders-create.json"));
        HttpRequest request = new HttpRequest(IngestApi.SHOPIFY_ROUTE, "/webhooks/shopify/demo", Map.of("shopId", "demo"), Map.of(),
                Map.of("x-shopify-topic", "orders/create", "x-shopify-webhook-id", "ls-1",
                        "x-shopify-hmac-sha256", Signatures.hmacSha256Base64("demo-shopify-secret", body)), body, null);
        assertThat(router.handle(request).status()).isEqualTo(200);
        assertThat(router.handle(request).body()).contains("duplicate");

        String id = store.lookup("demo", List.of(Identity.email("jon@example.com"))).get(Identity.email("jon@example.com"));
        assertThat(store.get("demo", id).orElseThrow().commerce().orders()).isEqualTo(1);
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("jon@example.com");
    }
}
