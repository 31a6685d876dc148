package dev.kindling.aws.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.shop.Signatures;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * moto_server checks no signature, so S3's own worked examples are the check that the exports' requests are signed as
 * S3 verifies them (no double encoding, no path normalisation, the payload's hash in x-amz-content-sha256): the
 * example credentials, the example requests at 2013-05-24T00:00:00Z, and the signatures S3's documentation gives
 * ("Signature Calculations for the Authorization Header" and "Authenticating Requests: Using Query Parameters").
 */
class SigV4HttpTest {
    final SigV4Http aws = new SigV4Http(UrlConnectionHttpClient.create(),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
            "us-east-1", Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void aPutObjectIsSignedAsS3sDocumentedExample() {
        byte[] body = "Welcome to Amazon S3.".getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest put = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(URI.create("https://examplebucket.s3.amazonaws.com/" + SigV4Http.s3Key("test$file.text")))
                .putHeader("Date", "Fri, 24 May 2013 00:00:00 GMT").putHeader("x-amz-storage-class", "REDUCED_REDUNDANCY")
                .putHeader("x-amz-content-sha256", Signatures.sha256Hex(body)).build();
        String authorization = aws.sign(put, body, "s3").request().firstMatchingHeader("Authorization").orElseThrow();
        assertThat(put.encodedPath()).isEqualTo("/test%24file.text");
        assertThat(authorization).contains("SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class")
                .endsWith("Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
    }

    @Test
    void aPresignedGetIsS3sDocumentedExample() {
        URI url = aws.presignS3(SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(URI.create("https://examplebucket.s3.amazonaws.com/test.txt")).build(),
                Duration.ofDays(1));
        assertThat(url.toString()).startsWith("https://examplebucket.s3.amazonaws.com/test.txt?")
                .contains("X-Amz-Date=20130524T000000Z").contains("X-Amz-Expires=86400").contains("X-Amz-SignedHeaders=host")
                .contains("X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
    }
}
