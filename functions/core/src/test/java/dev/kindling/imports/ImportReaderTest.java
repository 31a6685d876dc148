package dev.kindling.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportReaderTest {
    static List<ImportItem> read(ImportFormat format, String text, boolean bom) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        if (bom) {
            byte[] with = new byte[body.length + 3];
            with[0] = (byte) 0xEF;
            with[1] = (byte) 0xBB;
            with[2] = (byte) 0xBF;
            System.arraycopy(body, 0, with, 3, body.length);
            body = with;
        }
        List<ImportItem> items = new ArrayList<>();
        ImportReader.open(format, new ByteArrayInputStream(body)).forEachRemaining(items::add);
        return items;
    }

    @Test
    void aCsvWithABomCrlfAndQuotedCommasAndLineBreaksIsReadByItsHeaderWithEachRowsLine() {
        String csv = "Customer ID,First Name,Email,Note\r\n"
                + "'1001,Ada,ada@example.com,\"likes tea, and cake\"\r\n"
                + "'1002,Ben,ben@example.com,\"two\r\nlines\"\r\n"
                + "'1003,Chloe,chloe@example.com,\"she said \"\"hi\"\"\"\r\n";
        List<ImportItem> items = read(ImportFormat.SHOPIFY_CUSTOMERS_CSV, csv, true);
        assertThat(items).extracting(ImportItem::problem).containsOnlyNulls();
        assertThat(items).extracting(i -> i.row().path("Customer ID").asText()).containsExactly("'1001", "'1002", "'1003");
        assertThat(items.get(0).row().path("Note").asText()).isEqualTo("likes tea, and cake");
        assertThat(items.get(1).row().path("Note").asText()).isEqualTo("two\r\nlines");
        assertThat(items.get(2).row().path("Note").asText()).isEqualTo("she said \"hi\"");
        assertThat(items).extracting(ImportItem::line).containsExactly(2, 3, 5);
    }

    @Test
    void aQuoteLeftOpenIsReportedAtItsLineAndTheRowsBeforeItAreRead() {
        String csv = "Customer ID,Email\n'1,a@example.com\n'2,\"b@example.com\n'3,c@example.com\n";
        List<ImportItem> items = read(ImportFormat.SHOPIFY_CUSTOMERS_CSV, csv, false);
        assertThat(items.get(0).problem()).isNull();
        assertThat(items).hasSize(2);
        assertThat(items.get(1).line()).isEqualTo(3);
        assertThat(items.get(1).problem()).contains("never closed");
    }

    @Test
    void anOrdersRowsAreGatheredIntoOneItemByItsName() {
        String csv = "Name,Email,Total,Lineitem name,Lineitem quantity\n#1001,a@example.com,30.00,Tea,1\n#1001,,,Cake,2\n#1002,b@example.com,5.00,Tea,1\n";
        List<ImportItem> items = read(ImportFormat.SHOPIFY_ORDERS_CSV, csv, false);
        assertThat(items).hasSize(2);
        assertThat(items.get(0).row().path("lines")).hasSize(2);
        assertThat(items.get(0).row().path("row").path("Total").asText()).isEqualTo("30.00");
        assertThat(items.get(1).line()).isEqualTo(4);
    }

    @Test
    void jsonLinesReportWhatIsNotAnObjectByLineAndGoOn() {
        List<ImportItem> items = read(ImportFormat.SEGMENT_JSONL, "{\"type\":\"track\"}\r\n\r\n[1]\n{broken\n{\"type\":\"identify\"}\n", true);
        assertThat(items).extracting(ImportItem::line).containsExactly(1, 3, 4, 5);
        assertThat(items.get(1).problem()).contains("one JSON object");
        assertThat(items.get(2).problem()).startsWith("not JSON");
        assertThat(items.get(3).problem()).isNull();
    }
}
