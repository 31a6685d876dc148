package dev.kindling.aws.ssm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.kindling.shop.Shop;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Parameter Store throttles GetParametersByPath past 40 calls a second per account; the reader retries a throttled
 * call, as the SDK would, and gives up on one that cannot succeed. moto_server never throttles, so this is a loopback
 * server answering as the API reference documents: HTTP 400 with {@code __type} ThrottlingException.
 */
class SsmShopsTest {
    static final String THROTTLED = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}";
    static final String PAGE = "{\"Parameters\":[{\"Name\":\"/kindling/test/shops/demo\",\"Type\":\"SecureString\","
            + "\"Value\":\"{\\\"id\\\":\\\"demo\\\",\\\"name\\\":\\\"Demo\\\"}\"}]}";

    @Test
    void aThrottledReadIsRetriedUntilItIsServed() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Ssm ssm = new Ssm(call -> call <= 3 ? new Answer(400, THROTTLED) : new Answer(200, PAGE), calls)) {
            List<Shop> shops = ssm.shops().get();
            assertThat(shops).extracting(Shop::id).containsExactly("demo");
            assertThat(calls).hasValue(4);
        }
    }

    @Test
    void aServerErrorIsRetriedAndKeepsFailingAfterTheLastAttempt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Ssm ssm = new Ssm(call -> new Answer(503, "{\"__type\":\"InternalServerError\"}"), calls)) {
            assertThatThrownBy(() -> ssm.shops().get()).hasMessageContaining("503").hasMessageContaining(SsmShops.ATTEMPTS + " attempts");
            assertThat(calls).hasValue(SsmShops.ATTEMPTS);
        }
    }

    @Test
    void aRefusedReadIsNotRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Ssm ssm = new Ssm(call -> new Answer(400, "{\"__type\":\"AccessDeniedException\",\"Message\":\"not authorized\"}"), calls)) {
            assertThatThrownBy(() -> ssm.shops().get()).hasMessageContaining("AccessDeniedException");
            assertThat(calls).as("a missing permission does not come right by asking again").hasValue(1);
        }
    }

    record Answer(int status, String body) {}

    /** A loopback Parameter Store answering each call (numbered from 1) as told. */
    static final class Ssm implements AutoCloseable {
        final HttpServer server;
        final UrlConnectionHttpClient http = (UrlConnectionHttpClient) UrlConnectionHttpClient.create();

        Ssm(IntFunction<Answer> answers, AtomicInteger calls) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                assertThat(exchange.getRequestHeaders().getFirst("X-Amz-Target")).isEqualTo("AmazonSSM.GetParametersByPath");
                Answer answer = answers.apply(calls.incrementAndGet());
                byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(answer.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        SsmShops shops() {
            return new SsmShops(http, StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")), "us-east-1",
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "/kindling/test/shops");
        }

        @Override
        public void close() {
            http.close();
            server.stop(0);
        }
    }
}
