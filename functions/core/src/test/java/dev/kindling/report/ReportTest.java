package dev.kindling.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.json.Json;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void csvQuotesWhatNeedsItAndNeverLetsAContactsTextBecomeAFormula() {
        Report report = new Report(Json.object(), List.of("segment", "name", "revenue"), List.of(
                Report.row("vip", "Big, \"loyal\" spenders", new BigDecimal("120.50")),
                Report.row("x", "=HYPERLINK(\"http://evil\")", BigDecimal.ZERO)));
        assertThat(report.csv()).isEqualTo("segment,name,revenue\r\nvip,\"Big, \"\"loyal\"\" spenders\",120.5\r\nx,\"'=HYPERLINK(\"\"http://evil\"\")\",0\r\n");
        assertThat(report.json().path("rows").get(0).path("name").asText()).isEqualTo("Big, \"loyal\" spenders");
        Report money = new Report(Json.object(), List.of("revenue"), List.of(Report.row(new BigDecimal("1070.00"))));
        assertThat(Json.write(money.json())).contains("\"revenue\":1070.00");
    }
}
