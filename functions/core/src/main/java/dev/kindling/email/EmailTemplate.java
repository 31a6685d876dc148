package dev.kindling.email;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.util.List;

/**
 * A template as the marketer writes it. An {@code email} has a subject, a preheader, HTML and
 * optionally a text part (made from the HTML when absent), and is wrapped in a {@code layout}
 * (whose HTML places it with {@code {{ content }}}); a {@code partial} is a piece any template
 * includes with {@code {% include 'name' %}}. An {@code sms} is a text message: a Liquid {@code body} of plain text (no
 * layout, no HTML), sent to the person's phone with the same data an email reads.
 *
 * @param layout the layout's id; null: {@value #DEFAULT_LAYOUT}; "none": no layout
 * @param topic  the preference-centre topic marketing mail of this template belongs to, if any
 */
public record EmailTemplate(
        @JsonProperty("type") String type,
        @JsonProperty("name") String name,
        @JsonProperty("subject") String subject,
        @JsonProperty("preheader") String preheader,
        @JsonProperty("html") String html,
        @JsonProperty("text") String text,
        @JsonProperty("layout") String layout,
        @JsonProperty("topic") String topic,
        @JsonProperty("body") String body) {

    public static final String EMAIL = "email";
    public static final String LAYOUT = "layout";
    public static final String PARTIAL = "partial";
    public static final String SMS = "sms";
    public static final String DEFAULT_LAYOUT = "default-layout";
    public static final String NO_LAYOUT = "none";

    public static EmailTemplate of(JsonNode doc) {
        return Json.MAPPER.convertValue(doc, EmailTemplate.class);
    }

    public String typeOrEmail() {
        return type == null ? EMAIL : type;
    }

    /** A message one person is sent (an email or a text), rather than a layout or a partial that messages use. */
    public boolean isMessage() {
        return EMAIL.equals(typeOrEmail()) || SMS.equals(typeOrEmail());
    }

    /** The layout this email is wrapped in, or null for none. */
    public String layoutId() {
        if (!EMAIL.equals(typeOrEmail()) || NO_LAYOUT.equals(layout)) return null;
        return layout == null ? DEFAULT_LAYOUT : layout;
    }

    /** The Liquid parts of this template by name, in the order a reader meets them. */
    public List<Part> parts() {
        return List.of(new Part("subject", subject), new Part("preheader", preheader), new Part("html", html), new Part("text", text),
                        new Part("body", body))
                .stream().filter(p -> p.source() != null).toList();
    }

    public record Part(String name, String source) {}
}
