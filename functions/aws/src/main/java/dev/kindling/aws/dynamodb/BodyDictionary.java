package dev.kindling.aws.dynamodb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Email bodies deflated against a preset dictionary: the shipped layout and templates as they were when the dictionary was
 * made ({@code body-dictionary-<version>.txt}, a frozen copy: a body is inflated with the version it names for as long as
 * it is kept). A rendered email repeats most of its layout's markup, which a dictionary lets deflate refer to instead of
 * storing; a body is written with every email and billed per KB. It holds no one's data: a template, not a rendering.
 */
final class BodyDictionary {
    static final String VERSION = "1";
    private static final Map<String, byte[]> DICTIONARIES = Map.of(VERSION, load(VERSION));

    private BodyDictionary() {}

    static byte[] deflate(byte[] html) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setDictionary(DICTIONARIES.get(VERSION));
            deflater.setInput(html);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(html.length / 4 + 64);
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) out.write(buffer, 0, deflater.deflate(buffer));
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** @throws IllegalArgumentException when the bytes are not a body deflated against that version */
    static byte[] inflate(byte[] deflated, String version) {
        byte[] dictionary = DICTIONARIES.get(version);
        if (dictionary == null) throw new IllegalArgumentException("no body dictionary " + version);
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(deflated);
            ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 6);
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && inflater.needsDictionary()) inflater.setDictionary(dictionary);
                else if (n == 0 && (inflater.needsInput() || inflater.finished())) break;
                out.write(buffer, 0, n);
            }
            if (!inflater.finished()) throw new IllegalArgumentException("a deflated body ended early");
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not a deflated body: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static byte[] load(String version) {
        try (InputStream in = BodyDictionary.class.getResourceAsStream("body-dictionary-" + version + ".txt")) {
            if (in == null) throw new IllegalStateException("body-dictionary-" + version + ".txt is not in the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
