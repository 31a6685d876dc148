package dev.kindling.aws.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.aws.sigv4.SigV4Http;
import dev.kindling.json.Json;
import dev.kindling.retry.Backoff;
import dev.kindling.shop.Shop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * Reads the shops from SSM Parameter Store: one SecureString parameter per shop under a path
 * (e.g. {@code /kindling/prod/shops/demo}) whose value is the shop's JSON. Secrets stay out of the
 * template and the code; the functions may read only this path.
 *
 * <p>Why not the SDK's SsmClient: it is 5.4 MB of the functions' jar and about 250 classes loaded
 * at every cold start, for this one call. {@code GetParametersByPath} is one JSON POST, made with
 * {@link SigV4Http}. The endpoint follows the SDK's variables: {@code AWS_ENDPOINT_URL_SSM},
 * then {@code AWS_ENDPOINT_URL}, then SSM's regional endpoint.
 *
 * <p>Parameter Store's GetParametersByPath shares 40 transactions a second per account and Region;
 * a burst of cold starts or SnapStart restores can pass it. A throttled call, a 5xx and a broken
 * connection are retried with backoff, as the SDK's standard retry mode would
 * ({@link #ATTEMPTS} attempts); past that the refresh fails and the directory keeps the shops it has.
 */
public final class SsmShops implements Supplier<List<Shop>> {
    static final int ATTEMPTS = 5;
    private static final Set<String> THROTTLED = Set.of("ThrottlingException", "ThrottledException", "TooManyRequestsException",
            "RequestLimitExceeded", "RequestThrottledException");

    private final SigV4Http aws;
    private final URI endpoint;
    private final String path;

    public SsmShops(SdkHttpClient http, IdentityProvider<? extends AwsCredentialsIdentity> credentials, String region, URI endpoint, String path) {
        this(new SigV4Http(http, credentials, region), endpoint, path);
    }

    private SsmShops(SigV4Http aws, URI endpoint, String path) {
        this.aws = aws;
        this.endpoint = endpoint;
        this.path = path;
    }

    /** With the endpoint from the environment (the SDK's variables), then SSM's regional one. */
    public static SsmShops fromEnvironment(SigV4Http aws, String path) {
        URI endpoint = SigV4Http.endpointOverride(System.getenv(), "SSM");
        String region = aws.region();
        if (endpoint == null) endpoint = URI.create("https://ssm." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : ""));
        return new SsmShops(aws, endpoint, path);
    }

    @Override
    public List<Shop> get() {
        List<Shop> shops = new ArrayList<>();
        String nextToken = null;
        do {
            ObjectNode request = Json.object().put("Path", path).put("Recursive", true).put("WithDecryption", true);
            if (nextToken != null) request.put("NextToken", nextToken);
            JsonNode page = call("GetParametersByPath", request);
            for (JsonNode parameter : page.path("Parameters")) shops.add(Json.read(parameter.path("Value").asText(), Shop.class));
            nextToken = page.hasNonNull("NextToken") ? page.get("NextToken").asText() : null;
        } while (nextToken != null);
        return shops;
    }

    private JsonNode call(String action, ObjectNode body) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(action, body);
            } catch (Retryable failure) {
                if (attempt == ATTEMPTS) throw new IllegalStateException(failure.getMessage() + " (" + ATTEMPTS + " attempts)", failure.getCause());
                Backoff.pause(attempt - 1, 100, 2_000, "SSM " + action);
            }
        }
    }

    /** A failure the same call may not meet again: throttling, a 5xx, a broken connection. */
    private static final class Retryable extends RuntimeException {
        Retryable(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private JsonNode once(String action, ObjectNode body) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve("/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AmazonSSM." + action)
                .build();
        try {
            SigV4Http.Answer answer = aws.send(request, Json.write(body).getBytes(StandardCharsets.UTF_8), "ssm");
            if (!answer.ok()) {
                JsonNode error = answer.body().length == 0 ? Json.object() : Json.MAPPER.readTree(answer.body());
                String type = error.path("__type").asText("");
                String message = "SSM " + action + " " + path + " answered " + answer.status() + ": " + type + " "
                        + error.path("message").asText(error.path("Message").asText(""));
                // __type may carry a namespace: "com.amazonaws.ssm#ThrottlingException"
                if (answer.status() >= 500 || answer.status() == 429 || THROTTLED.contains(type.substring(type.indexOf('#') + 1))) {
                    throw new Retryable(message, null);
                }
                throw new IllegalStateException(message);
            }
            return Json.MAPPER.readTree(answer.body());
        } catch (IOException e) {
            throw new Retryable("SSM " + action + " " + path + ": " + e, new UncheckedIOException(e));
        }
    }
}
