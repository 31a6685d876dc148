package dev.kindling.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/**
 * DynamoDB Local in this process, telemetry off, in memory or in a data folder: either embedded
 * (no port; the tests' default, the quickest) or as a server on a loopback port, so that functions
 * started in their own JVMs ({@code bin/kindling invoke}) reach the same tables.
 */
public final class EmbeddedDynamo implements AutoCloseable {
    private final AmazonDynamoDBLocal embedded;
    private final DynamoDBProxyServer server;
    private final DynamoDbClient client;
    private final String endpoint;

    private EmbeddedDynamo(AmazonDynamoDBLocal embedded, DynamoDBProxyServer server, DynamoDbClient client, String endpoint) {
        this.embedded = embedded;
        this.server = server;
        this.client = client;
        this.endpoint = endpoint;
    }

    /** Opening a data folder another instance is still letting go of is tried this many times, 100 ms apart. */
    static final int LOCKED_ATTEMPTS = 50;

    public static EmbeddedDynamo inMemory() {
        AmazonDynamoDBLocal local = DynamoDBEmbedded.create(true); // true: telemetry off
        return new EmbeddedDynamo(local, null, local.dynamoDbClient(), null);
    }

    public static EmbeddedDynamo inFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        // The embedded engine takes the SQLite database file itself, not a folder. A runtime stopped a moment ago
        // may not have let go of the file yet (SQLite: "database is locked"): the open waits for it, a few seconds at most.
        for (int attempt = 1; ; attempt++) {
            try {
                AmazonDynamoDBLocal local = DynamoDBEmbedded.create(folder.resolve("kindling-local.db").toFile(), true);
                return new EmbeddedDynamo(local, null, local.dynamoDbClient(), null);
            } catch (RuntimeException locked) {
                if (attempt == LOCKED_ATTEMPTS || locked.getMessage() == null || !locked.getMessage().contains("database is locked")) throw locked;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw locked;
                }
            }
        }
    }

    /**
     * DynamoDB Local's server on 127.0.0.1 (port 0: a free one), one database for every client
     * ({@code -sharedDb}), in memory or in the folder.
     */
    public static EmbeddedDynamo server(int port, Path folder) throws Exception {
        if (port == 0) port = freePort();
        String storage = folder == null ? "-inMemory" : "-dbPath";
        String[] args = folder == null
                ? new String[] {"-inMemory", "-sharedDb", "-port", Integer.toString(port), "-disableTelemetry"}
                : new String[] {storage, Files.createDirectories(folder).toString(), "-sharedDb", "-port", Integer.toString(port), "-disableTelemetry"};
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args);
        server.start();
        String endpoint = "http://127.0.0.1:" + port;
        DynamoDbClient client = DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        return new EmbeddedDynamo(null, server, client, endpoint);
    }

    /** A free port on 127.0.0.1 (the tests' emulators take one too). */
    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public DynamoDbClient client() {
        return client;
    }

    /** A client of the tables' streams, embedded or on the server's port. */
    public DynamoDbStreamsClient streamsClient() {
        if (embedded != null) return embedded.dynamoDbStreamsClient();
        return DynamoDbStreamsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** The HTTP endpoint other processes reach it at, or null when it is embedded (no port). */
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        if (embedded != null) embedded.shutdown();
        if (server != null) {
            client.close();
            server.stop();
        }
    }
}
