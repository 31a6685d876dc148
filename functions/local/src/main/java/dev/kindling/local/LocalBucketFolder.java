package dev.kindling.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * A bucket of the local runtime: a folder holding a file under each key of the one shape the bucket takes (anything else
 * is no object of it), written whole or not at all, as S3 writes an object.
 */
final class LocalBucketFolder {
    private final Path folder;
    private final Pattern keys;

    LocalBucketFolder(Path folder, Pattern keys) {
        this.folder = folder;
        this.keys = keys;
    }

    boolean holds(String key) {
        return keys.matcher(key).matches();
    }

    /** PutObject: the whole body under the key (a temporary file moved into place); false for a key of another shape. */
    boolean write(String key, InputStream body) {
        if (!holds(key)) return false;
        try {
            Path file = folder.resolve(key);
            Files.createDirectories(file.getParent());
            Path written = file.resolveSibling(file.getFileName() + ".tmp");
            Files.copy(body, written, StandardCopyOption.REPLACE_EXISTING);
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** DeleteObject: done whether or not the object was there. */
    void delete(String key) {
        if (!holds(key)) return;
        try {
            Files.deleteIfExists(folder.resolve(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object's file, when the key is of this bucket's shape and the object exists. */
    Path file(String key) {
        Path file = holds(key) ? folder.resolve(key) : null;
        return file != null && Files.exists(file) ? file : null;
    }
}
