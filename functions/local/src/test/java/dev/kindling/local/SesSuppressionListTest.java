package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.kindling.aws.ses.SesEmailSender;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * An erasure takes the address off SES's account-level suppression list (DeleteSuppressedDestination). Neither
 * engine here serves that operation (moto_server and aws-ses-v2-local have no suppression list), so a loopback
 * server answers as the SES v2 API reference documents it — 200 when the address was on the list, 404
 * NotFoundException when it was not — and records the request the adapter made.
 */
class SesSuppressionListTest {
    HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile int status = 200;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            byte[] body = (status == 404 ? "{\"message\": \"Email address not found on the suppression list\"}" : "{}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (status == 404) exchange.getResponseHeaders().add("x-amzn-ErrorType", "NotFoundException");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    SesEmailSender sender() {
        return new SesEmailSender(SesV2Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build());
    }

    @Test
    void forgettingAnAddressDeletesItFromTheAccountSuppressionListAndAnAddressNotOnItIsNoError() {
        sender().forget("erase.me+tag@example.com");
        assertThat(requests).containsExactly("DELETE /v2/email/suppression/addresses/erase.me%2Btag%40example.com");

        status = 404;
        sender().forget("never.suppressed@example.com");
        assertThat(requests).hasSize(2);

        status = 500; // SES failing: the erasure fails too, and is retried whole
        assertThatThrownBy(() -> sender().forget("erase.me@example.com")).isInstanceOf(SdkException.class);
    }
}
