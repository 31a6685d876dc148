package dev.kindling.aws.sigv4;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * AWS calls made without a service's SDK client: the request signed with the SDK's own SigV4 signer
 * and sent with the SDK's HTTP client, so credentials, signing and transport are the SDK's. For the
 * services a function calls once or twice (SSM's GetParametersByPath, S3's PutObject), where a
 * client would be megabytes of the jar and hundreds of classes at every cold start.
 */
public final class SigV4Http {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    /** A response: its status and body. */
    public record Answer(int status, byte[] body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final SdkHttpClient http;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final String region;
    private final Clock signingClock;

    public SigV4Http(SdkHttpClient http, IdentityProvider<? extends AwsCredentialsIdentity> credentials, String region) {
        this(http, credentials, region, Clock.systemUTC());
    }

    /** @param signingClock the time signatures carry (AWS's documented examples are signed at a fixed time) */
    SigV4Http(SdkHttpClient http, IdentityProvider<? extends AwsCredentialsIdentity> credentials, String region, Clock signingClock) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.signingClock = signingClock;
    }

    /** With the region and credentials from the environment, as an SDK client would take them. */
    public static SigV4Http fromEnvironment(SdkHttpClient http) {
        return new SigV4Http(http, DefaultCredentialsProvider.builder().build(), region(System.getenv()));
    }

    public static String region(Map<String, String> env) {
        String region = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
        if (region == null || region.isBlank()) throw new IllegalStateException("AWS_REGION is not set");
        return region;
    }

    /**
     * A service's endpoint as the SDK's variables give it: {@code AWS_ENDPOINT_URL_<SERVICE>}, then
     * {@code AWS_ENDPOINT_URL}; null for the service's own regional endpoint.
     */
    public static URI endpointOverride(Map<String, String> env, String serviceVariable) {
        String endpoint = env.getOrDefault("AWS_ENDPOINT_URL_" + serviceVariable, env.get("AWS_ENDPOINT_URL"));
        return endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint);
    }

    public String region() {
        return region;
    }

    /** Signs (S3's way when {@code service} is s3: no double encoding, no path normalisation) and sends. */
    public Answer send(SdkHttpRequest request, byte[] payload, String service) throws IOException {
        SignedRequest signed = sign(request, payload, service);
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                .contentStreamProvider(signed.payload().orElse(null)).build()).call();
        try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
            return new Answer(response.httpResponse().statusCode(), in.readAllBytes());
        }
    }

    /** The request as sent: signed in its Authorization header (S3's way when {@code service} is s3). */
    SignedRequest sign(SdkHttpRequest request, byte[] payload, String service) {
        return sign(request, payload, service, null);
    }

    /** @param presignedFor null: signed in the Authorization header; else in the query string, good for so long */
    private SignedRequest sign(SdkHttpRequest request, byte[] payload, String service, Duration presignedFor) {
        ContentStreamProvider body = payload == null ? null : ContentStreamProvider.fromByteArray(payload);
        return SIGNER.sign(r -> {
            r.identity(credentials.resolveIdentity().join()).request(request).payload(body)
                    .putProperty(HttpSigner.SIGNING_CLOCK, signingClock)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region);
            if (service.equals("s3")) {
                r.putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false).putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false);
            }
            if (presignedFor != null) {
                r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, presignedFor)
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false);
            }
        });
    }

    /**
     * An object key as S3 signs it in a path: each segment percent-encoded as RFC 3986 has it (S3 signs the path as
     * sent, without encoding it again), the slashes kept.
     */
    public static String s3Key(String key) {
        StringBuilder path = new StringBuilder();
        for (String segment : key.split("/", -1)) {
            if (!path.isEmpty()) path.append('/');
            path.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~"));
        }
        return path.toString();
    }

    /** A presigned S3 URL for this request: anyone holding it may make it, until {@code lifetime} has passed. */
    public URI presignS3(SdkHttpRequest request, Duration lifetime) {
        return sign(request, null, "s3", lifetime).request().getUri();
    }
}
