package dev.kindling.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/** DynamoDB Local in this process: in memory, or in a data folder; telemetry off; no port opened. */
public final class EmbeddedDynamo implements AutoCloseable {
    private final AmazonDynamoDBLocal local;

    private EmbeddedDynamo(AmazonDynamoDBLocal local) {
        this.local = local;
    }

    public static EmbeddedDynamo inMemory() {
        return new EmbeddedDynamo(DynamoDBEmbedded.create(true)); // true: telemetry off
    }

    public static EmbeddedDynamo inFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        // The embedded engine takes the SQLite database file itself, not a folder.
        return new EmbeddedDynamo(DynamoDBEmbedded.create(folder.resolve("kindling-local.db").toFile(), true));
    }

    public DynamoDbClient client() {
        return local.dynamoDbClient();
    }

    @Override
    public void close() {
        local.shutdown();
    }
}
