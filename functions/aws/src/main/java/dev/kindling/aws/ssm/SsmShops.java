package dev.kindling.aws.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.retry.Backoff;
import dev.kindling.shop.Shop;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * Reads the shops from SSM Parameter Store: one SecureString parameter per shop under a path
 * (e.g. {@code /kindling/prod/shops/demo}) whose value is the shop's JSON. Secrets stay out of the
 * template and the code; the functions may read only this path.
 *
 * <p>Why not the SDK's SsmClient: it is 5.4 MB of the functions' jar and about 250 classes loaded
 * at every cold start, for this one call. {@code GetParametersByPath} is one JSON POST; it is signed
 * here with the SDK's own SigV4 signer and sent with the SDK's HTTP client, so credentials, signing
 * and transport are the SDK's. The endpoint follows the SDK's variables: {@code AWS_ENDPOINT_URL_SSM},
 * then {@code AWS_ENDPOINT_URL}, then SSM's regional endpoint.
 *
 * <p>Parameter Store's GetParametersByPath shares 40 transactions a second per account and Region;
 * a burst of cold starts or SnapStart restores can pass it. A throttled call, a 5xx and a broken
 * connection are retried with backoff, as the SDK's standard retry mode would
 * ({@link #ATTEMPTS} attempts); past that the refresh fails and the directory keeps the shops it has.
 */
public final class SsmShops implements Supplier<List<Shop>> {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
    static final int ATTEMPTS = 5;
    private static final Set<String> THROTTLED = Set.of("ThrottlingException", "ThrottledException", "TooManyRequestsException",
            "RequestLimitExceeded", "RequestThrottledException");

    private final SdkHttpClient http;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final String region;
    private final URI endpoint;
    private final String path;

    public SsmShops(SdkHttpClient http, IdentityProvider<? extends AwsCredentialsIdentity> credentials, String region, URI endpoint, String path) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
        this.path = path;
    }

    /** With the region, credentials and endpoint from the environment, as an SDK client would take them. */
    public static SsmShops fromEnvironment(SdkHttpClient http, String path) {
        Map<String, String> env = System.getenv();
        String region = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
        if (region == null || region.isBlank()) throw new IllegalStateException("AWS_REGION is not set");
        String endpoint = env.getOrDefault("AWS_ENDPOINT_URL_SSM", env.get("AWS_ENDPOINT_URL"));
        if (endpoint == null || endpoint.isBlank()) endpoint = "https://ssm." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "");
        return new SsmShops(http, DefaultCredentialsProvider.builder().build(), region, URI.create(endpoint), path);
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
        String json = Json.write(body);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve("/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AmazonSSM." + action)
                .build();
        SignedRequest signed = SIGNER.sign(r -> r.identity(credentials.resolveIdentity().join())
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(json))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ssm")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            byte[] answer;
            try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
                answer = in.readAllBytes();
            }
            if (!response.httpResponse().isSuccessful()) {
                int status = response.httpResponse().statusCode();
                JsonNode error = answer.length == 0 ? Json.object() : Json.MAPPER.readTree(answer);
                String type = error.path("__type").asText("");
                String message = "SSM " + action + " " + path + " answered " + status + ": " + type + " "
                        + error.path("message").asText(error.path("Message").asText(""));
                // __type may carry a namespace: "com.amazonaws.ssm#ThrottlingException"
                if (status >= 500 || status == 429 || THROTTLED.contains(type.substring(type.indexOf('#') + 1))) throw new Retryable(message, null);
                throw new IllegalStateException(message);
            }
            return Json.MAPPER.readTree(answer);
        } catch (IOException e) {
            throw new Retryable("SSM " + action + " " + path + ": " + e, new UncheckedIOException(e));
        }
    }
}
