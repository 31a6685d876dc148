package dev.kindling.aws.s3;

import dev.kindling.aws.sigv4.SigV4Http;
import dev.kindling.privacy.ExportFiles;
import java.time.Instant;
import java.util.Map;

/**
 * {@link ExportFiles} in the stack's exports bucket ({@link S3Objects}): PutObject, saved as an attachment so a browser
 * downloads it; a presigned GetObject URL for the link; DeleteObject on erasure.
 */
public final class S3ExportFiles implements ExportFiles {
    private final S3Objects objects;

    public S3ExportFiles(S3Objects objects) {
        this.objects = objects;
    }

    /** The bucket from EXPORTS_BUCKET, the endpoint from the SDK's variables. */
    public static S3ExportFiles fromEnvironment(SigV4Http aws, String bucket) {
        return new S3ExportFiles(S3Objects.fromEnvironment(aws, bucket));
    }

    @Override
    public Link publish(String shopId, String contactId, byte[] json, Instant now) {
        String key = ExportFiles.key(shopId, contactId);
        objects.put(key, json, Map.of("Content-Type", "application/json; charset=utf-8",
                "Content-Disposition", "attachment; filename=\"" + ExportFiles.fileName(contactId) + "\""));
        return new Link(objects.presignedGet(key, LINK_LIFETIME).toString(), now.plus(LINK_LIFETIME));
    }

    @Override
    public void forget(String shopId, String contactId) {
        objects.delete(ExportFiles.key(shopId, contactId));
    }
}
