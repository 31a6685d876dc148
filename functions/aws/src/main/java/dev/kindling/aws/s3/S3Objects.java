package dev.kindling.aws.s3;

import dev.kindling.aws.sigv4.SigV4Http;
import dev.kindling.imports.ImportObjects;
import dev.kindling.shop.Signatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * One bucket's objects through signed requests ({@link SigV4Http}), not the S3 client (megabytes of jar for four calls):
 * PutObject, GetObject, DeleteObject and presigned GET links. Path-style addressing when an endpoint is given
 * ({@code AWS_ENDPOINT_URL_S3}: moto_server in the tests), the bucket's virtual host otherwise.
 */
public final class S3Objects implements ImportObjects {
    private final SigV4Http aws;
    private final String bucket;
    private final URI endpoint;

    /** @param endpoint an endpoint to address path-style, or null for the bucket's own virtual-hosted endpoint */
    public S3Objects(SigV4Http aws, String bucket, URI endpoint) {
        this.aws = aws;
        this.bucket = bucket;
        this.endpoint = endpoint;
    }

    /** The bucket given, the endpoint from the SDK's variables. */
    public static S3Objects fromEnvironment(SigV4Http aws, String bucket) {
        return new S3Objects(aws, bucket, SigV4Http.endpointOverride(System.getenv(), "S3"));
    }

    @Override
    public void put(String key, byte[] body) {
        put(key, body, Map.of());
    }

    /** Writes the object (encrypted at rest by the bucket's default) with these headers besides its length and hash. */
    public void put(String key, byte[] body, Map<String, String> headers) {
        SdkHttpRequest.Builder put = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(object(key))
                .putHeader("Content-Length", String.valueOf(body.length))
                // S3 wants the payload's hash named in a header of its own, signed with the rest
                .putHeader("x-amz-content-sha256", Signatures.sha256Hex(body));
        headers.forEach(put::putHeader);
        call(put.build(), body, "PutObject " + key);
    }

    @Override
    public byte[] get(String key) {
        return call(SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(object(key))
                .putHeader("x-amz-content-sha256", Signatures.sha256Hex(new byte[0])).build(), null, "GetObject " + key);
    }

    /** DeleteObject answers 204 whether or not the object was there. */
    @Override
    public void delete(String key) {
        call(SdkHttpRequest.builder().method(SdkHttpMethod.DELETE).uri(object(key))
                .putHeader("x-amz-content-sha256", Signatures.sha256Hex(new byte[0])).build(), null, "DeleteObject " + key);
    }

    /** A link anyone holding it may GET the object with, until {@code lifetime} has passed. */
    public URI presignedGet(String key, Duration lifetime) {
        return aws.presignS3(SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(object(key)).build(), lifetime);
    }

    /** A link anyone holding it may PUT the object with (one request, up to S3's 5 GB), until {@code lifetime} has passed. */
    public URI presignedPut(String key, Duration lifetime) {
        return aws.presignS3(SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(object(key)).build(), lifetime);
    }

    private byte[] call(SdkHttpRequest request, byte[] body, String action) {
        try {
            SigV4Http.Answer answer = aws.send(request, body, "s3");
            if (!answer.ok()) {
                throw new IllegalStateException("S3 " + action + " in " + bucket + " answered " + answer.status() + ": "
                        + new String(answer.body(), StandardCharsets.UTF_8).replaceAll("\\s+", " "));
            }
            return answer.body();
        } catch (IOException e) {
            throw new UncheckedIOException("S3 " + action + " in " + bucket, e);
        }
    }

    private URI object(String key) {
        String path = SigV4Http.s3Key(key);
        if (endpoint != null) return endpoint.resolve("/" + bucket + "/" + path);
        String region = aws.region();
        return URI.create("https://" + bucket + ".s3." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "") + "/" + path);
    }
}
