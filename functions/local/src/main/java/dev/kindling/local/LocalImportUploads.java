package dev.kindling.local;

import dev.kindling.imports.ImportUploads;
import dev.kindling.imports.ImportSteps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The imports bucket's uploads in the local runtime: a folder, each upload a file under its key, taken by a PUT to a
 * link to this server that carries its expiry and an HMAC of the key and expiry under a secret made at start, so a link
 * works for {@link ImportUploads#LINK_LIFETIME} like a presigned PutObject URL and cannot be made up or stretched.
 */
final class LocalImportUploads implements ImportUploads {
    static final String PREFIX = "/local/imports/";
    private static final Pattern KEY = Pattern.compile("imports/[A-Za-z0-9_-]{1,64}/uploads/[0-9]{8}T[0-9]{6}-[0-9a-f]{1,10}");

    private final LocalBucketFolder bucket;
    private final LocalSignedLinks links;
    private final Clock clock;

    LocalImportUploads(Path folder, String baseUrl, Clock clock) {
        this.bucket = new LocalBucketFolder(folder, KEY);
        this.links = new LocalSignedLinks(baseUrl);
        this.clock = clock;
    }

    @Override
    public Link link(String shopId, String uploadId, Instant now) {
        String key = ImportSteps.uploadKey(shopId, uploadId);
        Instant expires = now.plus(LINK_LIFETIME);
        return new Link(links.link(key, expires), expires);
    }

    /** A PUT to an upload link: the file kept under its key while the link holds; false (403) when it does not. */
    boolean accept(String path, Map<String, String> query, InputStream body) {
        String key = path.substring("/local/".length());
        Instant expires = links.expiry(key, query);
        if (!bucket.holds(key) || expires == null || !clock.instant().isBefore(expires)) return false;
        return bucket.write(key, body);
    }

    /** The file gone once its import ended, as on AWS. */
    void delete(String key) {
        bucket.delete(key);
    }

    /** The uploaded file, read as the import reads it. */
    InputStream open(String key) {
        Path file = bucket.file(key);
        if (file == null) throw new IllegalStateException("nothing was uploaded under " + key + ": PUT the file to the upload's link first");
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
