package dev.kindling.json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Text the project stores gzipped: an email's rendered body, a contact's derived state (DynamoDB bills an item by its
 * bytes, and JSON of repeated names shrinks to a quarter). Only for what the project wrote itself: a body a sender
 * gzipped is read with a bound ({@code HttpRequest#decodedBody}).
 */
public final class Gzip {
    private Gzip() {}

    public static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() / 3 + 32);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException inMemory) {
            throw new UncheckedIOException(inMemory);
        }
        return out.toByteArray();
    }

    /** @throws IOException when the bytes are not gzip */
    public static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
