package dev.kindling.aws.s3;

import dev.kindling.imports.ImportSteps;
import dev.kindling.imports.ImportUploads;
import java.time.Instant;

/** {@link ImportUploads} in the stack's imports bucket: a presigned PutObject URL, signed with AdminFunction's role. */
public final class S3ImportUploads implements ImportUploads {
    private final S3Objects objects;

    public S3ImportUploads(S3Objects objects) {
        this.objects = objects;
    }

    @Override
    public Link link(String shopId, String uploadId, Instant now) {
        return new Link(objects.presignedPut(ImportSteps.uploadKey(shopId, uploadId), LINK_LIFETIME).toString(), now.plus(LINK_LIFETIME));
    }
}
