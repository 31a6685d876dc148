package dev.kindling.handler;

import dev.kindling.aws.dynamodb.DynamoContactStore;
import dev.kindling.aws.eventbridge.EventBridgePublisher;
import dev.kindling.aws.ssm.SsmShops;
import dev.kindling.contact.ContactStore;
import dev.kindling.event.EventPublisher;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The AWS adapters as the deployed functions use them, built once per container (and captured in
 * the SnapStart snapshot). Names come from the environment template.yaml sets; endpoints and region
 * from the SDK's own variables (AWS_REGION, AWS_ENDPOINT_URL_*).
 */
public final class AwsWiring {
    private static final Clock CLOCK = Clock.systemUTC();
    private static volatile AwsWiring instance;

    public final ContactStore contacts;
    public final EventPublisher publisher;
    public final ShopDirectory shops;
    public final Clock clock = CLOCK;

    private AwsWiring() {
        var http = UrlConnectionHttpClient.builder();
        DynamoDbClient dynamo = DynamoDbClient.builder().httpClientBuilder(http).build();
        contacts = new DynamoContactStore(dynamo, env("TABLE_NAME"), CLOCK,
                Duration.ofDays(Long.parseLong(System.getenv().getOrDefault("EVENT_TTL_DAYS", "400"))));
        publisher = new EventBridgePublisher(EventBridgeClient.builder().httpClientBuilder(http).build(), env("EVENT_BUS_NAME"));
        SsmClient ssm = SsmClient.builder().httpClientBuilder(http).build();
        shops = ShopDirectory.refreshing(new SsmShops(ssm, env("SHOPS_PARAMETER_PATH")), Duration.ofMinutes(5), CLOCK);
    }

    public static AwsWiring get() {
        if (instance == null) {
            synchronized (AwsWiring.class) {
                if (instance == null) instance = new AwsWiring();
            }
        }
        return instance;
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) throw new IllegalStateException("environment variable " + name + " is not set");
        return value;
    }
}
