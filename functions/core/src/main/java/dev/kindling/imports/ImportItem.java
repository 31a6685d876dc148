package dev.kindling.imports;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One thing an import brings in, read from its source: a file's row (a CSV row as its columns by header, an order's
 * rows together, a JSONL line) or an object the platform's API gave. {@code problem}: why it cannot be read, when it
 * cannot (it is counted as skipped, with its line).
 *
 * @param line where it starts in the file (1 is the header of a CSV), or its place in what the API gave
 */
public record ImportItem(int line, JsonNode row, String problem) {
    public static ImportItem bad(int line, String problem) {
        return new ImportItem(line, null, problem);
    }
}
