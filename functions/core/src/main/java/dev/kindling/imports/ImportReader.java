package dev.kindling.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.kindling.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A file an import reads, item by item, in bounded memory: a CSV by its header row (RFC 4180: quoted fields with
 * commas, quotes and line breaks; CRLF or LF; UTF-8 with or without a byte-order mark), Shopify's order export with
 * each order's rows gathered into one item, or JSONL (one JSON object a line). A row that cannot be read becomes an
 * item with its line and the reason, and reading goes on; a quote left open swallows the rest of the file, so it
 * ends the reading there, reported at the line it opened on.
 */
public final class ImportReader implements Iterator<ImportItem> {
    /** The longest line or row read: far beyond any customer or order, small enough that one row cannot exhaust memory. */
    static final int MAX_ROW_CHARS = 64 * 1024;
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.TRIM_SPACES).build();

    private final Iterator<ImportItem> items;

    private ImportReader(Iterator<ImportItem> items) {
        this.items = items;
    }

    public static ImportReader open(ImportFormat format, InputStream in) {
        InputStream body = withoutBom(in);
        return new ImportReader(switch (format) {
            case SHOPIFY_CUSTOMERS_CSV -> new CsvRows(body);
            case SHOPIFY_ORDERS_CSV -> new OrderGroups(new CsvRows(body));
            case SEGMENT_JSONL -> new JsonLines(body);
            case SHOPIFY_API, WOOCOMMERCE_API -> throw new IllegalArgumentException("a pull from a platform is not a file");
        });
    }

    @Override
    public boolean hasNext() {
        return items.hasNext();
    }

    @Override
    public ImportItem next() {
        return items.next();
    }

    /** The next {@code max} items (fewer at the end). */
    public List<ImportItem> next(int max) {
        List<ImportItem> batch = new ArrayList<>(max);
        while (batch.size() < max && hasNext()) batch.add(next());
        return batch;
    }

    private static InputStream withoutBom(InputStream in) {
        try {
            PushbackInputStream pushback = new PushbackInputStream(in, 3);
            byte[] head = pushback.readNBytes(3);
            boolean bom = head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF;
            if (!bom && head.length > 0) pushback.unread(head);
            return pushback;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Looks one item ahead, so hasNext is honest. */
    private abstract static class Ahead implements Iterator<ImportItem> {
        private ImportItem next;
        private boolean done;

        /** The next item, or null at the end. */
        abstract ImportItem read();

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                next = read();
                done = next == null;
            }
            return next != null;
        }

        @Override
        public ImportItem next() {
            if (!hasNext()) throw new NoSuchElementException();
            ImportItem item = next;
            next = null;
            return item;
        }
    }

    /**
     * CSV rows as objects of their header's columns; the header is line 1. A row's line is counted from the rows before
     * it (one line each, and one more for each line break inside a quoted field): the parser numbers records, not lines.
     */
    static final class CsvRows extends Ahead {
        private final MappingIterator<ObjectNode> rows;
        private boolean ended;
        private int nextLine = 2;

        CsvRows(InputStream in) {
            try {
                rows = CSV.readerFor(ObjectNode.class).with(CsvSchema.emptySchema().withHeader())
                        .readValues(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        ImportItem read() {
            if (ended) return null;
            int line = nextLine;
            try {
                if (!rows.hasNextValue()) return null;
                ObjectNode row = rows.nextValue();
                nextLine += 1;
                row.forEach(value -> nextLine += (int) value.asText().chars().filter(c -> c == '\n').count());
                if (row.toString().length() > MAX_ROW_CHARS) return ImportItem.bad(line, "the row is longer than " + MAX_ROW_CHARS + " characters");
                return new ImportItem(line, row, null);
            } catch (IOException | RuntimeException broken) {
                String reason = broken instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(broken.getMessage());
                if (reason.contains("EOF") || reason.toLowerCase().contains("quote")) {
                    ended = true; // an open quote runs to the end of the file: nothing after it can be read as rows
                    return ImportItem.bad(line, "a quoted field opened here is never closed: " + firstLine(reason));
                }
                nextLine++;
                return ImportItem.bad(line, firstLine(reason));
            }
        }
    }

    /**
     * Shopify's order export writes one row per line item: the order's fields on its first row, its {@code Name} on
     * every row. Consecutive rows of one Name become one item {@code {"row": first, "lines": [every row]}}.
     */
    static final class OrderGroups extends Ahead {
        private final CsvRows rows;
        private ImportItem pending;

        OrderGroups(CsvRows rows) {
            this.rows = rows;
        }

        @Override
        ImportItem read() {
            ImportItem first = pending != null ? pending : rows.hasNext() ? rows.next() : null;
            pending = null;
            if (first == null || first.problem() != null) return first;
            ObjectNode group = Json.object();
            group.set("row", first.row());
            var lines = group.putArray("lines").add(first.row());
            String name = Json.text(first.row(), "Name");
            while (rows.hasNext()) {
                ImportItem next = rows.next();
                if (next.problem() == null && name != null && Objects.equals(name, Json.text(next.row(), "Name"))) {
                    if (lines.size() < 1000) lines.add(next.row());
                } else {
                    pending = next;
                    break;
                }
            }
            return new ImportItem(first.line(), group, null);
        }
    }

    /** One JSON object a line; blank lines are passed over. */
    static final class JsonLines extends Ahead {
        private final BufferedReader reader;
        private int line;

        JsonLines(InputStream in) {
            reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        @Override
        ImportItem read() {
            try {
                String text;
                do {
                    text = reader.readLine();
                    line++;
                } while (text != null && text.isBlank());
                if (text == null) return null;
                if (text.length() > MAX_ROW_CHARS) return ImportItem.bad(line, "the line is longer than " + MAX_ROW_CHARS + " characters");
                try {
                    JsonNode node = Json.MAPPER.readTree(text);
                    if (node == null || !node.isObject()) return ImportItem.bad(line, "a line must be one JSON object");
                    return new ImportItem(line, node, null);
                } catch (JsonProcessingException e) {
                    return ImportItem.bad(line, "not JSON: " + firstLine(e.getOriginalMessage()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int newline = message.indexOf('\n');
        String first = newline < 0 ? message : message.substring(0, newline);
        return first.length() > 200 ? first.substring(0, 200) + "…" : first;
    }
}
