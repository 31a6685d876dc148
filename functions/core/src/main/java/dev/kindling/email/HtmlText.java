package dev.kindling.email;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Evaluator;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;
import org.jsoup.select.QueryParser;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The text part of an email made from its HTML: paragraphs and blocks on their own lines, links
 * as "text (url)", list items with a dash, images by their alt text; hidden parts (the preheader,
 * style, script) left out.
 */
public final class HtmlText {
    private static final Set<String> BLOCKS = Set.of("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
            "ul", "ol", "blockquote", "section", "header", "footer", "hr");

    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern TRAILING_SPACE = Pattern.compile("[ \\t]+\\n");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n{3,}");
    /** Parsed once: a selector given as text is parsed on every call, a tenth of this class's time in a campaign. */
    private static final Evaluator HIDDEN = QueryParser.parse("style, script, head, [hidden], .preheader"), IMAGE_WITH_ALT = QueryParser.parse("img[alt]");

    private HtmlText() {}

    public static String of(String html) {
        Document doc = Jsoup.parse(html);
        doc.select(HIDDEN).remove();
        StringBuilder out = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode text) {
                    if (!insideLink(text)) append(out, text.text());
                } else if (node instanceof Element e) {
                    switch (e.normalName()) {
                        case "br" -> out.append('\n');
                        case "li" -> { newLine(out); out.append("- "); }
                        case "img" -> { if (!e.attr("alt").isBlank() && !insideLink(e)) append(out, e.attr("alt")); }
                        case "a" -> {
                            String label = e.text().isBlank() ? e.select(IMAGE_WITH_ALT).attr("alt") : e.text();
                            String href = e.attr("href");
                            append(out, href.isBlank() || href.equals(label) ? label : (label.isBlank() ? href : label + " (" + href + ")"));
                        }
                        case "td", "th" -> { if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') out.append(' '); }
                        default -> { if (BLOCKS.contains(e.normalName())) blankLine(out); }
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && (BLOCKS.contains(e.normalName()) || e.normalName().equals("li"))) newLine(out);
            }
        }, doc.body());
        return BLANK_LINES.matcher(TRAILING_SPACE.matcher(out).replaceAll("\n")).replaceAll("\n\n").strip() + "\n";
    }

    private static boolean insideLink(Node node) {
        for (Node n = node.parent(); n != null; n = n.parent()) {
            if (n instanceof Element e && e.normalName().equals("a")) return true;
        }
        return false;
    }

    private static void append(StringBuilder out, String text) {
        String t = SPACES.matcher(text).replaceAll(" ");
        if (t.isBlank()) return;
        boolean lineStart = out.isEmpty() || out.charAt(out.length() - 1) == '\n';
        if (lineStart) t = t.stripLeading();
        else if (out.charAt(out.length() - 1) != ' ' && !t.startsWith(" ") && ".,;:!?)".indexOf(t.charAt(0)) < 0) out.append(' ');
        out.append(t);
    }

    private static void newLine(StringBuilder out) {
        if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') out.append('\n');
    }

    private static void blankLine(StringBuilder out) {
        newLine(out);
        if (out.length() > 1 && out.charAt(out.length() - 2) != '\n') out.append('\n');
    }
}
