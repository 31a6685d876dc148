package dev.kindling.local;

import dev.kindling.privacy.ExportFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The exports bucket of the local runtime: a folder (in {@code --data-dir}, or a temporary one), each export a file
 * under its key, handed out as a link to this server that carries its expiry and an HMAC of the key and expiry under
 * a secret made at start, so a link works for {@link ExportFiles#LINK_LIFETIME} like a presigned URL and cannot be
 * made up or stretched. A function run from its artifact against this runtime writes through the S3 calls
 * {@link LocalAwsApi} answers (PutObject, DeleteObject) and hands out S3's presigned form, which is served here until
 * its {@code X-Amz-Date} plus {@code X-Amz-Expires} (its signature is not checked: loopback only, as the other AWS
 * calls here).
 */
final class LocalExportFiles implements ExportFiles {
    /** The bucket name the template's exports bucket has here. */
    static final String BUCKET = "kindling-local-exports";
    private static final Pattern KEY = Pattern.compile("exports/[A-Za-z0-9_-]{1,64}/[A-Za-z0-9_-]{1,64}\\.json");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** A file a link is good for. */
    record Served(String fileName, byte[] json) {}

    private final LocalBucketFolder bucket;
    private final LocalSignedLinks links;
    private final Clock clock;

    LocalExportFiles(Path folder, String baseUrl, Clock clock) {
        this.bucket = new LocalBucketFolder(folder, KEY);
        this.links = new LocalSignedLinks(baseUrl);
        this.clock = clock;
    }

    @Override
    public Link publish(String shopId, String contactId, byte[] json, Instant now) {
        String key = ExportFiles.key(shopId, contactId);
        put(key, json);
        Instant expires = now.plus(LINK_LIFETIME);
        return new Link(links.link(key, expires), expires);
    }

    @Override
    public void forget(String shopId, String contactId) {
        delete(ExportFiles.key(shopId, contactId));
    }

    /** S3's PutObject here; false for a key that is no export's. */
    boolean put(String key, byte[] json) {
        return bucket.write(key, new ByteArrayInputStream(json));
    }

    /** S3's DeleteObject here: done whether or not the file was there. */
    void delete(String key) {
        bucket.delete(key);
    }

    /**
     * The export a link names, while the link holds: {@code /local/exports/…?expires=&signature=} (this runtime's own
     * links) or {@code /<bucket>/exports/…?X-Amz-Date=&X-Amz-Expires=…} (S3's presigned form); empty otherwise.
     */
    Optional<Served> serve(String path, Map<String, String> query) {
        String key;
        Instant expires;
        if (path.startsWith("/local/exports/")) {
            key = path.substring("/local/".length());
            expires = links.expiry(key, query);
            if (expires == null) return Optional.empty();
        } else if (path.startsWith("/" + BUCKET + "/")) {
            key = path.substring(BUCKET.length() + 2);
            try {
                expires = AMZ_DATE.parse(query.getOrDefault("X-Amz-Date", ""), Instant::from)
                        .plusSeconds(Long.parseLong(query.getOrDefault("X-Amz-Expires", "")));
            } catch (DateTimeParseException | NumberFormatException bad) {
                return Optional.empty();
            }
        } else {
            return Optional.empty();
        }
        Path file = bucket.file(key);
        if (file == null || !clock.instant().isBefore(expires)) return Optional.empty();
        try {
            String contactId = file.getFileName().toString().replace(".json", "");
            return Optional.of(new Served(ExportFiles.fileName(contactId), Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
