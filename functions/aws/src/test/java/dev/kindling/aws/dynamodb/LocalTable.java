package dev.kindling.aws.dynamodb;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/**
 * The table as template.yaml declares it, in DynamoDB Local in process, for one test class and metered:
 * {@code @RegisterExtension static final LocalTable db = new LocalTable();} starts it before the class's own
 * {@code @BeforeAll} and stops it after its tests.
 */
final class LocalTable implements BeforeAllCallback, AfterAllCallback {
    private AmazonDynamoDBLocal local;
    private MeteredTable table;

    @Override
    public void beforeAll(ExtensionContext context) {
        local = DynamoDBEmbedded.create(true);
        KindlingTable.create(local.dynamoDbClient(), "kindling");
        table = new MeteredTable(local.dynamoDbClient(), "kindling");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        local.shutdown();
    }

    MeteredTable table() {
        return table;
    }
}
