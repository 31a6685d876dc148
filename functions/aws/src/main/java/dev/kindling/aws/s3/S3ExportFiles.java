package dev.kindling.aws.s3;

import dev.kindling.aws.sigv4.SigV4Http;
import dev.kindling.privacy.ExportFiles;
import dev.kindling.shop.Signatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * {@link ExportFiles} in the stack's exports bucket: PutObject (encrypted at rest by the bucket's default, saved as
 * an attachment so a browser downloads it), a presigned GetObject URL for the link, DeleteObject on erasure. Three
 * requests made with {@link SigV4Http}, not the S3 client (megabytes of jar for them). Path-style addressing when an
 * endpoint is given ({@code AWS_ENDPOINT_URL_S3}: moto_server in the tests), the bucket's virtual host otherwise.
 */
public final class S3ExportFiles implements ExportFiles {
    private final SigV4Http aws;
    private final String bucket;
    private final URI endpoint;

    /** @param endpoint an endpoint to address path-style, or null for the bucket's own virtual-hosted endpoint */
    public S3ExportFiles(SigV4Http aws, String bucket, URI endpoint) {
        this.aws = aws;
        this.bucket = bucket;
        this.endpoint = endpoint;
    }

    /** The bucket from EXPORTS_BUCKET, the endpoint from the SDK's variables. */
    public static S3ExportFiles fromEnvironment(SigV4Http aws, String bucket) {
        return new S3ExportFiles(aws, bucket, SigV4Http.endpointOverride(System.getenv(), "S3"));
    }

    @Override
    public Link publish(String shopId, String contactId, byte[] json, Instant now) {
        URI object = object(ExportFiles.key(shopId, contactId));
        SdkHttpRequest put = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(object)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"" + ExportFiles.fileName(contactId) + "\"")
                .putHeader("Content-Length", String.valueOf(json.length))
                // S3 wants the payload's hash named in a header of its own, signed with the rest
                .putHeader("x-amz-content-sha256", Signatures.sha256Hex(json))
                .build();
        call(put, json, "PutObject");
        URI url = aws.presignS3(SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(object).build(), LINK_LIFETIME);
        return new Link(url.toString(), now.plus(LINK_LIFETIME));
    }

    @Override
    public void forget(String shopId, String contactId) {
        // DeleteObject answers 204 whether or not the object was there
        call(SdkHttpRequest.builder().method(SdkHttpMethod.DELETE).uri(object(ExportFiles.key(shopId, contactId)))
                .putHeader("x-amz-content-sha256", Signatures.sha256Hex(new byte[0])).build(), null, "DeleteObject");
    }

    private void call(SdkHttpRequest request, byte[] body, String action) {
        try {
            SigV4Http.Answer answer = aws.send(request, body, "s3");
            if (!answer.ok()) {
                throw new IllegalStateException("S3 " + action + " " + bucket + " answered " + answer.status() + ": "
                        + new String(answer.body(), StandardCharsets.UTF_8).replaceAll("\\s+", " "));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("S3 " + action + " " + bucket, e);
        }
    }

    private URI object(String key) {
        key = SigV4Http.s3Key(key);
        if (endpoint != null) return endpoint.resolve("/" + bucket + "/" + key);
        String region = aws.region();
        return URI.create("https://" + bucket + ".s3." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "") + "/" + key);
    }
}
