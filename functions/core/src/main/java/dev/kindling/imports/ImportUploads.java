package dev.kindling.imports;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a file too large for one admin call goes: a link the client PUTs the file to (on AWS a presigned S3 PutObject
 * URL of the imports bucket, good for an hour; locally a signed link to the runtime), under {@link ImportSteps#uploadKey}.
 * An import then names the upload instead of carrying the file.
 */
public interface ImportUploads {
    Duration LINK_LIFETIME = Duration.ofHours(1);

    record Link(String url, Instant expiresAt) {}

    Link link(String shopId, String uploadId, Instant now);
}
