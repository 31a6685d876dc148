package dev.kindling.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateLibraryTest {
    final Map<String, Object> sample = SampleData.variables("Demo shop", EmailSettings.DEFAULTS);

    @Test
    void everyDefaultTemplatePassesItsChecksAndRendersWithTheSampleData() {
        TemplateLibrary library = TemplateLibrary.defaults();
        assertThat(library.all()).containsKeys("default-layout", "abandoned-checkout", "abandoned-checkout-reminder",
                "abandoned-checkout-last-call", "welcome", "welcome-best-sellers", "welcome-social-proof", "browse-abandonment",
                "order-thank-you", "order-enjoy", "review-request", "nps-survey", "referral-reward", "order-tips", "apology",
                "win-back", "win-back-incentive", "double-opt-in");
        library.all().forEach((id, t) -> assertThat(library.check(id, sample)).as(id).isEmpty());
    }

    @Test
    void theAbandonedCheckoutEmailShowsTheCartWithPricesAndTheCheckoutLinkInsideTheLayout() {
        TemplateLibrary.Rendered r = TemplateLibrary.defaults().render("abandoned-checkout", sample);
        assertThat(r.subject()).isEqualTo("Jane, you left something in your cart");
        assertThat(r.html()).contains("Linen shirt", "$49.00", "Canvas tote", "&times; 2", "https://shop.example.com/checkouts/sample")
                .contains("<div class=\"preheader\"").contains("Unsubscribe").contains("https://example.com/unsubscribe");
        // the text part is made from the HTML: links with their address, no hidden preheader, no markup
        assertThat(r.text()).contains("Return to your cart (https://shop.example.com/checkouts/sample)")
                .contains("Unsubscribe (https://example.com/unsubscribe)").doesNotContain("<", "Your items are still waiting");
    }

    @Test
    void anUnsetVariableRendersEmptyAndDefaultsWork() {
        Map<String, Object> vars = new HashMap<>(sample);
        vars.put("contact", Map.of("email", "x@example.com"));
        assertThat(TemplateLibrary.defaults().render("abandoned-checkout", vars).subject()).isEqualTo("Hi, you left something in your cart");
    }

    @Test
    void anUnknownVariableIsRefusedWithItsPartAndLine() {
        TemplateLibrary library = TemplateLibrary.defaults().with("promo", template("""
                <p>Hello {{ contact.first_name }}</p>
                <p>{{ contcat.last_name }}</p>
                """));
        assertThat(library.check("promo", sample)).containsExactly("html line 2: unknown variable 'contcat.last_name'");
    }

    @Test
    void syntaxErrorsUnknownFiltersAndMissingPartialsAreNamedWithTheirLine() {
        TemplateLibrary library = TemplateLibrary.defaults()
                .with("broken", template("<p>ok</p>\n{% if contact.first_name %}\n<p>{{ contact.first_name | upcase }</p>"))
                .with("filter", template("<p>\n{{ contact.first_name | shout }}</p>"))
                .with("partial", template("<p>\n\n{% include 'footer-v2' %}</p>"));
        assertThat(library.check("broken", sample)).singleElement().asString().startsWith("html line 3");
        assertThat(library.check("filter", sample)).containsExactly("template 'filter', html line 2: no filter available named: |shout");
        assertThat(library.check("partial", sample)).containsExactly("html line 3: no partial named 'footer-v2'");
    }

    @Test
    void aLayoutMustPlaceTheContentAndAnEmailMustNameAnExistingLayout() {
        JsonNode layout = Json.object().put("type", "layout").put("html", "<html><body>no content here</body></html>");
        TemplateLibrary library = TemplateLibrary.defaults().with("bare", EmailTemplate.of(layout))
                .with("uses-missing", EmailTemplate.of(Json.object().put("subject", "s").put("html", "<p>x</p>").put("layout", "nope")));
        assertThat(library.check("bare", sample)).containsExactly("html: a layout places the email with {{ content }}");
        assertThat(library.check("uses-missing", sample)).contains("layout: no layout named 'nope'");
    }

    @Test
    void aRenderErrorNamesTheTemplateAndPart() {
        TemplateLibrary library = TemplateLibrary.defaults().with("loop", template("{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}"));
        assertThatThrownBy(() -> library.render("loop", sample)).isInstanceOf(TemplateError.class)
                .hasMessageStartingWith("template 'loop', html");
        assertThatThrownBy(() -> library.render("nope", sample)).isInstanceOf(TemplateError.class).hasMessageContaining("no email template");
    }

    @Test
    void moneyUsesTheShopsCurrencyOrTheOneGiven() {
        TemplateLibrary library = TemplateLibrary.defaults().with("money", template("{{ 1234.5 | money }} {{ '9.99' | money: 'EUR' }} {{ 'n/a' | money }}"));
        Map<String, Object> vars = new HashMap<>(sample);
        vars.put("shop", Map.of("currency", "GBP"));
        assertThat(library.render("money", vars).html()).contains("£1,234.50 €9.99 n/a");
    }

    @Test
    void htmlBecomesReadableText() {
        String text = HtmlText.of("<html><head><style>p{}</style></head><body><h1>Title</h1><p>One <b>bold</b> word.</p>"
                + "<ul><li>first</li><li>second</li></ul><p><a href=\"https://x.example/a\">Go</a> <img src=\"i.png\" alt=\"Logo\"></p></body></html>");
        assertThat(text).isEqualTo("Title\n\nOne bold word.\n\n- first\n- second\n\nGo (https://x.example/a) Logo\n");
    }

    private static EmailTemplate template(String html) {
        return new EmailTemplate("email", null, "Subject", null, html, null, null, null, null);
    }


    /** A failure that is not the template's (here a variable whose read fails) is thrown as it is, so the caller retries. */
    @Test
    void aFaultThatIsNotTheTemplatesIsNotReportedAsATemplateErrorSoItIsRetried() {
        Map<String, Object> vars = new HashMap<>(sample);
        vars.put("contact", new HashMap<String, Object>() {
            @Override
            public Object get(Object key) {
                throw new IllegalStateException("the contact store timed out");
            }

            @Override
            public boolean containsKey(Object key) {
                throw new IllegalStateException("the contact store timed out");
            }
        });
        assertThatThrownBy(() -> TemplateLibrary.defaults().render("abandoned-checkout", vars))
                .isNotInstanceOf(TemplateError.class).hasMessageContaining("timed out");
    }
}

