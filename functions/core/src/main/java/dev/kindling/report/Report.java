package dev.kindling.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One report as answered: its JSON (totals and the like) and its table, which is also the JSON's
 * {@code rows} and the CSV a spreadsheet reads ({@code Accept: text/csv}).
 */
public record Report(ObjectNode body, List<String> columns, List<List<Object>> rows) {

    /** The JSON: the body with the table as {@code rows} (one object per row). */
    public ObjectNode json() {
        ObjectNode out = body.deepCopy();
        ArrayNode table = out.putArray("rows");
        for (List<Object> row : rows) {
            ObjectNode r = table.addObject();
            for (int i = 0; i < columns.size(); i++) {
                Object cell = row.get(i);
                // money as written (120.50), never normalised to 1.2050E+2
                if (cell instanceof BigDecimal d) r.put(columns.get(i), d);
                else r.set(columns.get(i), Json.MAPPER.valueToTree(cell));
            }
        }
        return out;
    }

    /** RFC 4180 CSV of the table, with a header line. */
    public String csv() {
        StringBuilder out = new StringBuilder(String.join(",", columns.stream().map(Report::cell).toList())).append("\r\n");
        for (List<Object> row : rows) out.append(row.stream().map(Report::cell).collect(Collectors.joining(","))).append("\r\n");
        return out.toString();
    }

    private static String cell(Object value) {
        if (value == null) return "";
        String text = value instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : value.toString();
        // a leading = + - @ would be a formula in a spreadsheet: contact-derived text must not run there
        if (!(value instanceof Number) && !text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) text = "'" + text;
        return text.matches("[^\",\r\n]*") ? text : "\"" + text.replace("\"", "\"\"") + "\"";
    }

    static List<Object> row(Object... cells) {
        return new ArrayList<>(Arrays.asList(cells));
    }
}
