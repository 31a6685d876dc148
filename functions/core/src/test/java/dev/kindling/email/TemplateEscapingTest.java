package dev.kindling.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.json.Json;
import dev.kindling.send.EmailSender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Contact data never becomes HTML: the engine escapes every output of an HTML part, whatever the
 * template says; a template opts out only with trusted_html, and the check warns about it.
 */
class TemplateEscapingTest {
    static final String HOSTILE = "<script>alert(1)</script><a href=\"https://evil.example\">claim your prize</a>\"'";
    final Map<String, Object> sample = SampleData.variables("Demo shop", EmailSettings.DEFAULTS);

    /** The sample data with every string a stranger could have set (contact, event, line items, data) replaced by markup. */
    @SuppressWarnings("unchecked")
    static Object hostile(Object value, String key) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), hostile(v, String.valueOf(k))));
            return out;
        }
        if (value instanceof List<?> list) return list.stream().map(v -> hostile(v, key)).toList();
        // prices and addresses stay well-formed so the template renders its whole body
        if (value instanceof String s && !s.startsWith("http") && !key.equals("price") && !key.equals("total")) return HOSTILE;
        return value;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> hostileSample() {
        Map<String, Object> vars = new HashMap<>(sample);
        for (String strangersData : List.of("contact", "event", "line_items", "recommendations", "recently_viewed", "data", "checkout_url")) {
            vars.put(strangersData, hostile(sample.get(strangersData), strangersData));
        }
        return vars;
    }

    @Test
    void markupInAnyContactOrEventFieldNeverReachesTheHtmlOfAnyDefaultEmail() {
        TemplateLibrary library = TemplateLibrary.defaults();
        Map<String, Object> vars = hostileSample();
        int emails = 0;
        for (var e : library.all().entrySet()) {
            if (!EmailTemplate.EMAIL.equals(e.getValue().typeOrEmail())) continue;
            TemplateLibrary.Rendered r = library.render(e.getKey(), vars);
            assertThat(r.html()).as(e.getKey()).doesNotContain("<script", "<a href=\"https://evil.example\"");
            assertThat(r.subject()).as(e.getKey()).doesNotContain("\n", "\r");
            emails++;
        }
        assertThat(emails).isGreaterThanOrEqualTo(17);
        // the names that went out raw before: the sign-up confirmation and the order thank-you
        assertThat(library.render("double-opt-in", vars).html()).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(library.render("order-thank-you", vars).html()).contains("&lt;a href=&quot;https://evil.example&quot;&gt;");
    }

    @Test
    void aShopsOwnTemplateIsEscapedTooAndTrustedHtmlIsTheOnlyWayOutWithAWarning() {
        TemplateLibrary library = TemplateLibrary.defaults().with("promo", template("""
                <p>Hi {{ contact.first_name }}, {{ event.name | upcase }} {{ contact.last_name | escape }}</p>
                {% assign n = contact.name %}<p>{{ n -}}</p>
                <div>{{ data.description | trusted_html }}</div>
                """));
        Map<String, Object> vars = new HashMap<>(sample);
        vars.put("contact", Map.of("first_name", "<b>Jo</b>", "last_name", "O'Hara & <i>Co</i>", "name", "<img src=x onerror=alert(1)>"));
        vars.put("event", Map.of("name", "<svg onload=x>"));
        vars.put("data", Map.of("description", "<strong>Hand-stitched</strong> linen"));
        String html = library.render("promo", vars).html();
        assertThat(html).contains("Hi &lt;b&gt;Jo&lt;/b&gt;", "&lt;SVG ONLOAD=X&gt;", "O&#39;Hara &amp; &lt;i&gt;Co&lt;/i&gt;" /* escape encodes the apostrophe too */, "&lt;img src=x onerror=alert(1)&gt;</p>")
                .doesNotContain("&amp;lt;") // escape once, not twice
                .contains("<div><strong>Hand-stitched</strong> linen</div>");
        assertThat(library.check("promo", sample)).isEmpty();
        assertThat(library.warnings("promo")).singleElement().asString().startsWith("html line 3: '{{ data.description | trusted_html }}'");
        assertThat(TemplateLibrary.defaults().all().keySet()).allSatisfy(id -> assertThat(TemplateLibrary.defaults().warnings(id)).isEmpty());
    }

    @Test
    void aSubjectIsOneLineAndShortWhateverTheDataAndHeadersRefuseLineBreaks() {
        TemplateLibrary library = TemplateLibrary.defaults().with("long", EmailTemplate.of(Json.MAPPER.valueToTree(
                Map.of("subject", "{{ contact.first_name }}", "html", "<p>x</p>"))));
        Map<String, Object> vars = new HashMap<>(sample);
        vars.put("contact", Map.of("first_name", "Jo\r\nBcc: victim@example.com\r\n\r\n" + "x".repeat(2000)));
        String subject = library.render("long", vars).subject();
        assertThat(subject).doesNotContain("\r", "\n").startsWith("Jo Bcc: victim@example.com x").hasSizeLessThanOrEqualTo(TemplateLibrary.MAX_SUBJECT_CHARS);
        assertThatThrownBy(() -> new EmailSender.Header("X-Test", "a\r\nBcc: victim@example.com")).hasMessageContaining("line breaks");
        assertThatThrownBy(() -> new EmailSender.Header("X-Test", "a".repeat(1000))).hasMessageContaining("998");
    }

    /** liqp keeps per-render state in a compiled template: the library must stay correct when 16 threads render at once. */
    @Test
    void everyDefaultTemplateRendersCorrectlyFrom16ThreadsAtOnce() throws Exception {
        TemplateLibrary library = TemplateLibrary.defaults();
        List<String> emails = library.all().entrySet().stream().filter(e -> EmailTemplate.EMAIL.equals(e.getValue().typeOrEmail()))
                .map(Map.Entry::getKey).sorted().toList();
        Map<String, String> expected = new HashMap<>();
        for (String id : emails) expected.put(id, library.render(id, sample).html());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int thread = 0; thread < 16; thread++) {
                runs.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (String id : emails) assertThat(library.render(id, sample).html()).as(id).isEqualTo(expected.get(id));
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) run.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private static EmailTemplate template(String html) {
        return EmailTemplate.of(Json.MAPPER.valueToTree(Map.of("subject", "Hello", "html", html, "layout", "default-layout")));
    }
}
