package dev.kindling.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** YAML written from a document reads back as the same document, in a form that diffs well; dates stay text. */
class YamlDocumentsTest {

    @Test
    void whatIsWrittenReadsBackAsTheSameDocument() {
        JsonNode doc = Json.read("""
                {"name": "VIP", "count": 3, "big": 9007199254740993, "share": 0.25, "on": true, "none": null, "empty": "",
                 "looksLikeTrue": "true", "looksLikeANumber": "0123", "time": "21:00", "day": "2026-12-31", "colour": "#1f6feb",
                 "html": "<p>one</p>\\n<p>two</p>\\n", "trailing": "a line \\nwith a space before its end", "quote": "it's \\"quoted\\"",
                 "unicode": "Grüße — ✓", "list": [1, "two", {"three": [3]}], "nested": {"a": {"b": []}, "c": {}}}""", JsonNode.class);
        String yaml = YamlDocuments.write(doc);
        assertThat(YamlDocuments.read(yaml)).isEqualTo(doc);
        assertThat(YamlDocuments.write(YamlDocuments.read(yaml))).as("the same bytes again").isEqualTo(yaml);
        assertThat(yaml).startsWith("name: VIP\ncount: 3\n").contains("html: |\n  <p>one</p>\n  <p>two</p>\n")
                .contains("looksLikeTrue: 'true'").contains("day: '2026-12-31'");
    }

    @Test
    void aDateWrittenPlainIsReadAsTheTextItIs() {
        assertThat(YamlDocuments.read("until: 2026-12-31\nat: 2026-12-31T09:00:00Z\n").path("until").asText()).isEqualTo("2026-12-31");
        assertThat(YamlDocuments.read("at: 2026-12-31T09:00:00Z\n").path("at").asText()).isEqualTo("2026-12-31T09:00:00Z");
    }
}
