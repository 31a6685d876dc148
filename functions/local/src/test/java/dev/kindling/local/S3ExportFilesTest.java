package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.aws.s3.S3ExportFiles;
import dev.kindling.aws.s3.S3Objects;
import dev.kindling.aws.sigv4.SigV4Http;
import dev.kindling.privacy.ExportFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Exports in S3 as AdminFunction hands them out, against moto_server's S3: the file put under the person's key, a
 * presigned GET link that a plain HTTP client (a browser) follows to the file as a download, the next export
 * replacing it, and the erasure removing it.
 */
class S3ExportFilesTest {
    @Test
    void anExportIsPutHandedOutByAPresignedLinkAndRemovedOnErasure() throws Exception {
        try (MotoServer moto = MotoServer.startOrSkip();
             var transport = UrlConnectionHttpClient.create()) {
            var exports = new S3ExportFiles(bucket(moto, transport, "kindling-test-exports"));
            Instant now = Instant.now();
            byte[] json = "{\"contactId\":\"c-1\",\"note\":\"Grüße\"}".getBytes(StandardCharsets.UTF_8);

            ExportFiles.Link link = exports.publish("demo", "c-1", json, now);
            assertThat(link.expiresAt()).isEqualTo(now.plus(ExportFiles.LINK_LIFETIME));
            assertThat(link.url()).startsWith(moto.endpoint + "/kindling-test-exports/exports/demo/c-1.json?")
                    .contains("X-Amz-Expires=900").contains("X-Amz-Signature=");
            HttpClient browser = HttpClient.newHttpClient();
            HttpResponse<byte[]> file = browser.send(HttpRequest.newBuilder(URI.create(link.url())).build(), BodyHandlers.ofByteArray());
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).isEqualTo(json);
            assertThat(file.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"contact-c-1.json\"");

            byte[] newer = "{\"contactId\":\"c-1\",\"v\":2}".getBytes(StandardCharsets.UTF_8);
            ExportFiles.Link again = exports.publish("demo", "c-1", newer, now);
            assertThat(browser.send(HttpRequest.newBuilder(URI.create(again.url())).build(), BodyHandlers.ofByteArray()).body()).isEqualTo(newer);

            exports.forget("demo", "c-1");
            exports.forget("demo", "c-1"); // removing what is gone is nothing
            assertThat(browser.send(HttpRequest.newBuilder(URI.create(again.url())).build(), BodyHandlers.ofByteArray()).statusCode())
                    .as("gone with the erasure").isEqualTo(404);
        }
    }

    /** A file too large for one admin call is PUT to a presigned link by a plain HTTP client, and read back by the import. */
    @Test
    void anImportsFileIsUploadedThroughAPresignedPutAndReadBackByKey() throws Exception {
        try (MotoServer moto = MotoServer.startOrSkip();
             var transport = UrlConnectionHttpClient.create()) {
            S3Objects bucket = bucket(moto, transport, "kindling-test-imports");
            Instant now = Instant.now();
            var link = new dev.kindling.aws.s3.S3ImportUploads(bucket).link("demo", "20261205T120000-abc", now);
            assertThat(link.url()).startsWith(moto.endpoint + "/kindling-test-imports/imports/demo/uploads/20261205T120000-abc?")
                    .contains("X-Amz-Expires=3600").contains("X-Amz-Signature=");
            byte[] csv = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("../../events/payloads/imports/shopify-orders.csv"));
            HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link.url()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(csv)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(bucket.get(dev.kindling.imports.ImportSteps.uploadKey("demo", "20261205T120000-abc"))).isEqualTo(csv);
        }
    }

    /** A bucket made in moto's S3, and its objects through signed requests. */
    static S3Objects bucket(MotoServer moto, software.amazon.awssdk.http.SdkHttpClient transport, String name) throws Exception {
        SigV4Http aws = new SigV4Http(transport, StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")), "us-east-1");
        URI endpoint = URI.create(moto.endpoint);
        assertThat(aws.send(SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(endpoint.resolve("/" + name)).build(), null, "s3").ok())
                .as("bucket made").isTrue();
        return new S3Objects(aws, name, endpoint);
    }
}
