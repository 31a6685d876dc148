package dev.kindling.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.json.Json;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 24's template findings, from the side of whoever can render a template (a read-only admin token can preview
 * any) or put data into one (the public write key sets a contact's name): data printed by a tag is escaped as an
 * output is, {@code escape} encodes the apostrophe, and no render can grow without bound in memory or time.
 */
class TemplateBoundsTest {
    final Map<String, Object> sample = SampleData.variables("Demo shop", EmailSettings.DEFAULTS);

    private static EmailTemplate template(String html) {
        return EmailTemplate.of(Json.MAPPER.valueToTree(Map.of("subject", "Hello", "html", html)));
    }

    private Map<String, Object> withFirstName(String name) {
        Map<String, Object> vars = new HashMap<>(sample);
        Map<String, Object> contact = new HashMap<>(Json.MAPPER.convertValue(sample.get("contact"), Map.class));
        contact.put("first_name", name);
        vars.put("contact", contact);
        return vars;
    }

    @Test
    void aNameACycleTagPrintsIsEscapedInHtmlAndTheShopsQuotedValuesAreNot() {
        TemplateLibrary library = TemplateLibrary.defaults().with("rows", template(
                "{% for i in (1..2) %}<tr class=\"{% cycle 'odd', 'even' %}\">{% cycle contact.first_name, 'x' %}</tr>{% endfor %}"));
        String html = library.render("rows", withFirstName("<img src=x onerror=alert(1)>")).html();
        assertThat(html).doesNotContain("<img src=x").contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("class=\"odd\"").contains("class=\"even\"");
    }

    @Test
    void escapeEncodesTheApostropheSoDataCannotCloseASingleQuotedAttribute() {
        TemplateLibrary library = TemplateLibrary.defaults().with("quote", template(
                "<a title='{{ contact.first_name | escape }}' href='https://shop.example.com'>hi</a>"));
        String html = library.render("quote", withFirstName("x' onmouseover='alert(1)")).html();
        assertThat(html).doesNotContain("x' onmouseover").contains("x&#39; onmouseover=&#39;alert(1)");
    }

    @Test
    void aDoublingLoopStopsWithATemplateErrorAtTheSizeLimitInsteadOfFillingTheHeap() {
        // 2^30 characters (2 GB) by the end: the size check stops it at the first value past 1,000,000
        TemplateLibrary library = TemplateLibrary.defaults().with("bomb", template(
                "{% assign s = 'xx' %}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}"));
        assertThatThrownBy(() -> library.render("bomb", sample)).isInstanceOf(TemplateError.class)
                .hasMessageContaining("'s' grew to").hasMessageContaining("at most 1000000");
        TemplateLibrary captured = TemplateLibrary.defaults().with("bomb", template(
                "{% capture s %}xx{% endcapture %}{% for i in (1..30) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s | size }}"));
        assertThatThrownBy(() -> captured.render("bomb", sample)).isInstanceOf(TemplateError.class).hasMessageContaining("'s' grew to");
    }

    @Test
    void aRenderThatBurnsCpuStopsAfterItsBudget() {
        // each of the 10,000 iterations sorts 100,000 characters: minutes of CPU without a budget
        TemplateLibrary library = TemplateLibrary.defaults().with("slow", template("""
                {% assign big = 'x' %}{% for i in (1..16) %}{% assign big = big | append: big %}{% endfor %}\
                {% for i in (1..10000) %}{% assign parts = big | split: '' | sort | join: '' %}{% endfor %}done"""));
        assertThatThrownBy(() -> library.render("slow", sample)).isInstanceOf(TemplateError.class).hasMessageContaining("ms of CPU");
    }

    @Test
    void theLimitsStopNoRealEmail() {
        TemplateLibrary library = TemplateLibrary.defaults();
        for (String id : library.all().keySet()) {
            if (EmailTemplate.EMAIL.equals(library.get(id).orElseThrow().typeOrEmail())) assertThat(library.render(id, sample).html()).isNotBlank();
        }
    }
}
