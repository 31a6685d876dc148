package dev.kindling.email;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liqp.Template;
import liqp.TemplateContext;
import liqp.TemplateParser;
import liqp.exceptions.LiquidException;
import liqp.blocks.Block;
import liqp.blocks.Capture;
import liqp.blocks.Cycle;
import liqp.nodes.AtomNode;
import liqp.nodes.LNode;
import liqp.tags.Assign;
import liqp.tags.Tag;
import liqp.filters.Filter;
import liqp.parser.Flavor;
import liqp.org.antlr.v4.runtime.ParserRuleContext;
import liqp.org.antlr.v4.runtime.tree.ParseTree;
import liquid.parser.v4.LiquidParser;
import org.jsoup.nodes.Entities;
import org.yaml.snakeyaml.Yaml;

/**
 * The templates one shop can send: Kindling's defaults with the shop's own laid over them, compiled
 * once and rendered with Liquid as Shopify merchants know it (an unset variable renders empty, so
 * {@code {{ contact.first_name | default: "there" }}} works). What can be wrong is caught when a
 * template is saved ({@link #check}): syntax, unknown filters, unknown variables, missing partials
 * and layouts, each named by part and line.
 *
 * <p><b>Escaping is the engine's job.</b> In an HTML part every {@code {{ output }}} is HTML-escaped
 * (its source is rewritten before compiling to end in {@code | escape_html}), so a contact's name,
 * an event property or anything else a stranger can set never becomes markup, whatever the
 * template says. Two outputs are left as they are: a layout's {@code {{ content }}} (the email
 * already rendered, and escaped) and an output that ends in {@code | trusted_html}, the explicit
 * opt-out for HTML the shop itself wrote (a product description from its catalog), which
 * {@link #warnings} names. Subject, preheader and text parts are not HTML and are not escaped.
 *
 * <p>liqp keeps per-render state in a compiled {@code Template}, so compiled templates are kept per
 * thread: a template is parsed once per thread that renders it, and never rendered by two at once.
 *
 * <p><b>Every render is bounded</b> ({@link RenderBudget}), so no template, whoever saved or previews it, can take
 * the function down: loops stop at {@value #MAX_ITERATIONS} iterations, output at {@value #MAX_RENDERED_CHARS}
 * characters, a value built with {@code assign} or {@code capture} at {@value #MAX_ASSIGNED_CHARS} characters (a
 * doubling loop would otherwise fill the heap long before the output limit is checked), and the render's CPU time
 * at {@link #MAX_RENDER_CPU}; past any of them the render ends with a {@link TemplateError}.
 */
public final class TemplateLibrary {
    /** The variables every template can read; docs/email.md describes each. */
    public static final Set<String> VARIABLES = Set.of("shop", "brand", "contact", "event", "line_items", "checkout_url",
            "recommendations", "recently_viewed", "links", "message", "data", "content", "coupon", "loyalty", "new_arrivals");
    private static final Set<String> LIQUID_NAMES = Set.of("forloop", "tablerowloop", "empty", "blank", "nil", "null", "true", "false");
    private static final Pattern LINE = Pattern.compile("line (\\d+)");
    private static final int MAX_ITERATIONS = 10_000;
    private static final int MAX_RENDERED_CHARS = 2_000_000;
    /** The longest text (characters) or list (elements) a template may build in a variable. */
    static final int MAX_ASSIGNED_CHARS = 1_000_000;
    /** CPU time one email's render may take; a real one takes milliseconds. */
    static final Duration MAX_RENDER_CPU = Duration.ofSeconds(1);
    /** Subjects are cut here (with "…"): far below RFC 5322's 998 characters a line, also once SES encodes them. */
    static final int MAX_SUBJECT_CHARS = 250;
    /** The opt-out filter: prints HTML the shop trusts as it is. */
    public static final String TRUSTED_HTML = "trusted_html";
    /** The filter the engine appends to every output of an HTML part. */
    static final String ESCAPE_HTML = "escape_html";
    /** Outputs ending in one of these are already safe to print into HTML. */
    private static final Set<String> ESCAPING_FILTERS = Set.of(ESCAPE_HTML, TRUSTED_HTML, "escape", "escape_once", "url_encode", "url_escape");

    public record Rendered(String subject, String preheader, String html, String text) {}

    /** The longest text a text message's body may render to, before the shop's limit on segments is applied. */
    static final int MAX_TEXT_CHARS = 1_600;

    private static final Map<String, EmailTemplate> DEFAULTS = loadDefaults();

    private final Map<String, EmailTemplate> templates;
    private final TemplateParser parser;
    /** Compiled parts by "id\npart", per thread (see the class comment). */
    private final ThreadLocal<Map<String, Template>> compiled = ThreadLocal.withInitial(HashMap::new);

    private TemplateLibrary(Map<String, EmailTemplate> templates) {
        this.templates = Map.copyOf(templates);
        this.parser = new TemplateParser.Builder()
                .withFlavor(Flavor.LIQUID)
                .withErrorMode(TemplateParser.ErrorMode.STRICT)
                .withMaxIterations(MAX_ITERATIONS)
                .withMaxSizeRenderedString(MAX_RENDERED_CHARS)
                .withFilter(new Money())
                .withFilter(new EscapeHtml())
                .withFilter(new TrustedHtml())
                .withTag(new CompiledInclude())
                .withTag(new BoundedAssign())
                .withBlock(new BoundedCapture())
                .withBlock(new EscapingCycle())
                .withFilter(new EscapeHtml("escape"))
                .build();
    }

    /** The defaults with the shop's stored templates (JSON documents by id) laid over them. */
    public static TemplateLibrary of(Map<String, JsonNode> stored) {
        Map<String, EmailTemplate> all = new LinkedHashMap<>(DEFAULTS);
        stored.forEach((id, doc) -> all.put(id, EmailTemplate.of(doc)));
        return new TemplateLibrary(all);
    }

    public static TemplateLibrary defaults() {
        return new TemplateLibrary(DEFAULTS);
    }

    public static boolean isDefault(String id) {
        return DEFAULTS.containsKey(id);
    }

    public Optional<EmailTemplate> get(String id) {
        return Optional.ofNullable(templates.get(id));
    }

    public Map<String, EmailTemplate> all() {
        return templates;
    }

    /** This library with one template replaced or added (to check it before saving). */
    public TemplateLibrary with(String id, EmailTemplate template) {
        Map<String, EmailTemplate> next = new LinkedHashMap<>(templates);
        next.put(id, template);
        return new TemplateLibrary(next);
    }

    /** Renders an email template: subject, preheader, HTML inside its layout, text (made from the HTML when not written). */
    public Rendered render(String id, Map<String, Object> variables) {
        return render(id, variables, null, null);
    }

    /**
     * Renders an email template with an A/B variant's own subject or preheader (Liquid too) in place of the template's;
     * null: the template's.
     */
    public Rendered render(String id, Map<String, Object> variables, String subject, String preheader) {
        RenderBudget.start(MAX_RENDER_CPU);
        try {
            return renderWithin(id, variables, subject, preheader);
        } finally {
            RenderBudget.end();
        }
    }

    private Rendered renderWithin(String id, Map<String, Object> variables, String variantSubject, String variantPreheader) {
        EmailTemplate t = templates.get(id);
        if (t == null || !EmailTemplate.EMAIL.equals(t.typeOrEmail())) throw new TemplateError(id, null, 0, "no email template with this id");
        // a header: one line (every run of white space, line breaks included, becomes one space), and short
        String subjectPart = variantSubject != null ? renderPart(id, VARIANT + "subject", variantSubject, variables) : renderPart(id, "subject", t.subject(), variables);
        String subject = truncate(subjectPart.strip().replaceAll("\\s+", " "), MAX_SUBJECT_CHARS);
        String preheaderSource = variantPreheader != null ? variantPreheader : t.preheader();
        String preheader = preheaderSource == null ? "" : renderPart(id, variantPreheader != null ? VARIANT + "preheader" : "preheader", preheaderSource, variables).strip();
        String body = renderPart(id, "html", t.html(), variables);
        String layoutId = t.layoutId();
        String html = body;
        if (layoutId != null) {
            EmailTemplate layout = templates.get(layoutId);
            if (layout == null) throw new TemplateError(id, "layout", 0, "no layout named '" + layoutId + "'");
            Map<String, Object> withContent = new HashMap<>(variables);
            withContent.put("content", body);
            html = renderPart(layoutId, "html", layout.html(), withContent);
        }
        html = withPreheader(html, preheader);
        String text = t.text() != null ? renderPart(id, "text", t.text(), variables) : HtmlText.of(html);
        return new Rendered(subject, preheader, html, text);
    }

    /**
     * Renders a text message's body: plain text (nothing is HTML-escaped; a phone shows characters as they are), runs of
     * blank lines made one, and at most {@value #MAX_TEXT_CHARS} characters, End User Messaging's limit for one message.
     */
    public String renderText(String id, Map<String, Object> variables) {
        EmailTemplate t = templates.get(id);
        if (t == null || !EmailTemplate.SMS.equals(t.typeOrEmail())) throw new TemplateError(id, null, 0, "no sms template with this id");
        RenderBudget.start(MAX_RENDER_CPU);
        try {
            String body = renderPart(id, "body", t.body(), variables).strip().replaceAll("[ \\t]+\\n", "\n").replaceAll("\n{3,}", "\n\n");
            if (body.isEmpty()) throw new TemplateError(id, "body", 0, "renders to no text");
            return truncate(body, MAX_TEXT_CHARS);
        } finally {
            RenderBudget.end();
        }
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1).strip() + "…";
    }

    private String renderPart(String id, String part, String source, Map<String, Object> variables) {
        if (source == null) throw new TemplateError(id, part, 0, "is missing");
        Template template = compile(id, part, source);
        RenderBudget.inHtml(part.equals("html"));
        try {
            return template.renderUnguarded(variables);
        } catch (LiquidException e) {
            throw new TemplateError(id, part, e.line, e.getMessage());
        } catch (RuntimeException e) {
            // The template's fault: liqp's own exceptions (too many iterations, a template too large), what it throws for a
            // template that cannot render (a missing partial, a bad filter argument), and its "error on line N" wrapping of
            // those. Anything else (a fault of ours or of the moment) is thrown as it is, so the caller retries (a journey's
            // Retry) instead of marking the email failed for good.
            if (templatesFault(e)) throw new TemplateError(id, part, lineOf(e.getMessage()), withoutPosition(e.getMessage()));
            throw e;
        }
    }

    private static boolean templatesFault(Throwable e) {
        Throwable cause = e.getCause() != null && String.valueOf(e.getMessage()).startsWith("error on line") ? e.getCause() : e;
        return cause.getClass().getPackageName().startsWith("liqp") || cause instanceof IllegalArgumentException
                || cause instanceof UnsupportedOperationException || cause == e && String.valueOf(e.getMessage()).startsWith("error on line");
    }

    private static String withoutPosition(String message) {
        return String.valueOf(message).replaceFirst("^error on line \\d+, index \\d+: ", "");
    }

    /** The part name of a variant's own subject or preheader: compiled under its text, as variants of one template differ. */
    private static final String VARIANT = "variant ";

    private Template compile(String id, String part, String source) {
        return compiled.get().computeIfAbsent(id + "\n" + part + (part.startsWith(VARIANT) ? "\n" + source : ""), k -> {
            try {
                if (!part.equals("html")) return parser.parse(source);
                EmailTemplate template = templates.get(id);
                boolean layout = template != null && EmailTemplate.LAYOUT.equals(template.typeOrEmail());
                return parser.parse(escapingOutputs(source, parser.parse(source).getParseTree(), layout));
            } catch (LiquidException e) {
                throw new TemplateError(id, part, e.line, e.getMessage().replaceFirst("^parser error ", ""));
            } catch (RuntimeException e) {
                throw new TemplateError(id, part, lineOf(e.getMessage()), withoutPosition(e.getMessage()));
            }
        });
    }

    /**
     * What saving template {@code id} of this library would refuse: its own check, a topic the settings do not have, and,
     * for a layout or partial, the check of every email that uses it (the editor shows these as the author types).
     */
    public List<String> saveProblems(String id, EmailSettings settings, Map<String, Object> sample) {
        EmailTemplate template = get(id).orElseThrow();
        List<String> problems = new ArrayList<>(check(id, sample));
        if (template.topic() != null && !settings.hasTopic(template.topic())) problems.add("topic: no topic '" + template.topic() + "' in the email settings");
        if (!template.isMessage()) {
            for (var e : all().entrySet()) {
                if (!e.getValue().isMessage() || e.getKey().equals(id)) continue;
                for (String p : check(e.getKey(), sample)) problems.add("used by " + e.getKey() + ": " + p);
            }
        }
        return problems;
    }

    /**
     * Everything wrong with a template, each problem naming its part and line; empty when it can be
     * saved. {@code sample} is rendered through it to catch what only rendering shows.
     */
    public List<String> check(String id, Map<String, Object> sample) {
        EmailTemplate t = templates.get(id);
        List<String> problems = new ArrayList<>();
        String type = t.typeOrEmail();
        if (!List.of(EmailTemplate.EMAIL, EmailTemplate.SMS, EmailTemplate.LAYOUT, EmailTemplate.PARTIAL).contains(type)) {
            problems.add("type: email, sms, layout or partial");
            return problems;
        }
        if (EmailTemplate.SMS.equals(type)) {
            if (t.body() == null || t.body().isBlank()) problems.add("body: required (the text, with Liquid)");
            for (String emailOnly : new String[] {t.subject(), t.preheader(), t.html(), t.text(), t.layout()}) {
                if (emailOnly != null) {
                    problems.add("a text message has a body only: no subject, preheader, html, text or layout");
                    break;
                }
            }
        } else if (t.html() == null || t.html().isBlank()) problems.add("html: required");
        if (EmailTemplate.EMAIL.equals(type) && (t.subject() == null || t.subject().isBlank())) problems.add("subject: required");
        if (EmailTemplate.LAYOUT.equals(type) && t.html() != null && !t.html().matches("(?s).*\\{\\{-?\\s*content\\s*-?}}.*")) {
            problems.add("html: a layout places the email with {{ content }}");
        }
        String layoutId = t.layoutId();
        if (layoutId != null) {
            EmailTemplate layout = templates.get(layoutId);
            if (layout == null || !EmailTemplate.LAYOUT.equals(layout.typeOrEmail())) problems.add("layout: no layout named '" + layoutId + "'");
        }
        for (EmailTemplate.Part part : t.parts()) {
            Template compiledPart;
            try {
                compiledPart = compile(id, part.name(), part.source());
            } catch (TemplateError e) {
                problems.add(part.name() + (e.line() > 0 ? " line " + e.line() : "") + ": " + e.getMessage().replaceFirst("^[^:]*: ", ""));
                continue;
            }
            // a partial reads the variables of whatever includes it, so only its partials are checked here
            walk(compiledPart.getParseTree(), part.name(), type, new HashSet<>(), problems);
        }
        if (problems.isEmpty() && t.isMessage()) {
            try {
                if (EmailTemplate.SMS.equals(type)) renderText(id, sample);
                else render(id, sample);
            } catch (TemplateError e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    /** Unknown variables and missing partials, found in the parse tree so each is named with its line. */
    private void walk(ParseTree tree, String part, String type, Set<String> locals, List<String> problems) {
        collectLocals(tree, locals);
        visit(tree, part, type, locals, problems);
    }

    private static void collectLocals(ParseTree node, Set<String> locals) {
        LiquidParser.IdContext id = switch (node) {
            case LiquidParser.AssignmentContext a -> a.id();
            case LiquidParser.For_arrayContext f -> f.id();
            case LiquidParser.For_rangeContext f -> f.id();
            case LiquidParser.Capture_tag_IdContext c -> c.id();
            default -> null;
        };
        if (id != null) locals.add(id.getText());
        for (int i = 0; i < node.getChildCount(); i++) collectLocals(node.getChild(i), locals);
    }

    private void visit(ParseTree node, String part, String type, Set<String> locals, List<String> problems) {
        if (node instanceof LiquidParser.Lookup_id_indexesContext lookup) {
            String root = lookup.id().getText();
            boolean known = VARIABLES.contains(root) || LIQUID_NAMES.contains(root) || locals.contains(root);
            boolean contentOutsideLayout = root.equals("content") && !EmailTemplate.LAYOUT.equals(type);
            if (!EmailTemplate.PARTIAL.equals(type) && (!known || contentOutsideLayout)) {
                problems.add(part + " line " + line(lookup) + ": unknown variable '" + lookup.getText() + "'");
            }
        } else if (node instanceof LiquidParser.Include_tagContext include) {
            // {% include 'name' %} is an expression in Liquid's grammar, a file name in Jekyll's
            ParserRuleContext named = include.file_name_or_output() != null ? include.file_name_or_output()
                    : include.expr().isEmpty() ? null : include.expr(0);
            if (named == null) return;
            String name = named.getText().replaceAll("^['\"]|['\"]$", "");
            EmailTemplate partial = templates.get(name);
            if (partial == null || !EmailTemplate.PARTIAL.equals(partial.typeOrEmail())) {
                problems.add(part + " line " + line(include) + ": no partial named '" + name + "'");
            }
            return;
        }
        for (int i = 0; i < node.getChildCount(); i++) visit(node.getChild(i), part, type, locals, problems);
    }

    private static int line(ParserRuleContext context) {
        return context.getStart().getLine();
    }

    private static int lineOf(String message) {
        if (message == null) return 0;
        Matcher m = LINE.matcher(message);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * The HTML part's source with {@code | escape_html} added to every output that does not already
     * end in an escaping filter or {@code trusted_html} (a layout's {@code {{ content }}} excepted).
     * Insertions go right before each {@code }}}, so line numbers stay as the author wrote them.
     */
    static String escapingOutputs(String source, ParseTree tree, boolean layout) {
        List<Integer> insertAt = new ArrayList<>();
        collectOutputs(tree, output -> {
            if (output.OutEnd() == null || output.unparsed != null) return;
            if (layout && output.getText().replaceAll("[{}\\s-]", "").equals("content")) return;
            List<LiquidParser.FilterContext> filters = output.filter();
            if (!filters.isEmpty() && ESCAPING_FILTERS.contains(filters.getLast().Id().getText())) return;
            insertAt.add(output.OutEnd().getSymbol().getStartIndex());
        });
        StringBuilder out = new StringBuilder(source);
        insertAt.sort(Comparator.reverseOrder());
        for (int at : insertAt) {
            // "{{ x -}}": the filter goes before the whitespace-control dash
            int before = at > 0 && out.charAt(at - 1) == '-' ? at - 1 : at;
            out.insert(before, " | " + ESCAPE_HTML + " ");
        }
        return out.toString();
    }

    private static void collectOutputs(ParseTree node, Consumer<LiquidParser.OutputContext> each) {
        if (node instanceof LiquidParser.OutputContext output) each.accept(output);
        for (int i = 0; i < node.getChildCount(); i++) collectOutputs(node.getChild(i), each);
    }

    /**
     * What a template's author should know but may save: each output printed unescaped with
     * {@code trusted_html}, by part and line. Never use it for contact, event or form data.
     */
    public List<String> warnings(String id) {
        EmailTemplate t = templates.get(id);
        List<String> warnings = new ArrayList<>();
        if (t == null || t.html() == null) return warnings;
        Template parsed;
        try {
            parsed = parser.parse(t.html());
        } catch (RuntimeException unparsable) {
            return warnings; // check() names the syntax error
        }
        collectOutputs(parsed.getParseTree(), output -> {
            List<LiquidParser.FilterContext> filters = output.filter();
            if (!filters.isEmpty() && filters.getLast().Id().getText().equals(TRUSTED_HTML)) {
                String written = t.html().substring(output.getStart().getStartIndex(), output.getStop().getStopIndex() + 1);
                warnings.add("html line " + line(output) + ": '" + written + "' is printed without HTML escaping ("
                        + TRUSTED_HTML + "): use it only for HTML the shop wrote, never for contact, event or form data");
            }
        });
        return warnings;
    }

    /** The preheader as the hidden first text of the body, where inbox previews read it. */
    private static String withPreheader(String html, String preheader) {
        if (preheader.isEmpty()) return html;
        String div = "<div class=\"preheader\" style=\"display:none;max-height:0;overflow:hidden;mso-hide:all\">"
                + Entities.escape(preheader) + "</div>";
        Matcher body = Pattern.compile("<body[^>]*>", Pattern.CASE_INSENSITIVE).matcher(html);
        return body.find() ? html.substring(0, body.end()) + div + html.substring(body.end()) : div + html;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, EmailTemplate> loadDefaults() {
        try (InputStream in = TemplateLibrary.class.getResourceAsStream("/email/default-templates.yaml")) {
            Map<String, Object> raw = new Yaml().load(in);
            Map<String, EmailTemplate> defaults = new LinkedHashMap<>();
            raw.forEach((id, doc) -> defaults.put(id, Json.MAPPER.convertValue(doc, EmailTemplate.class)));
            return Map.copyOf(defaults);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code {% include 'name' %}} from this library's partials, each compiled once (liqp's own
     * include parses the partial again on every render). The partial reads the includer's variables.
     */
    private final class CompiledInclude extends Tag {
        CompiledInclude() {
            super("include");
        }

        @Override
        public Object render(TemplateContext context, LNode... nodes) {
            String id = asString(nodes[0].render(context), context);
            EmailTemplate partial = templates.get(id);
            if (partial == null || !EmailTemplate.PARTIAL.equals(partial.typeOrEmail())) throw new IllegalArgumentException("no partial named '" + id + "'");
            return compile(id, "html", partial.html() == null ? "" : partial.html()).renderToObjectUnguarded(new HashMap<>(), context, true);
        }
    }

    /**
     * {@code assign} as liqp has it, with the value it stored measured: a value past {@link #MAX_ASSIGNED_CHARS} ends
     * the render before the next doubling can.
     */
    private static final class BoundedAssign extends Tag {
        private final Assign assign = new Assign();

        BoundedAssign() {
            super("assign");
        }

        @Override
        public Object render(TemplateContext context, LNode... nodes) {
            RenderBudget.check();
            Object result = assign.render(context, nodes);
            RenderBudget.measure(String.valueOf(nodes[0].render(context)), context);
            return result;
        }
    }

    /** {@code capture} as liqp has it, measured as {@link BoundedAssign} is. */
    private static final class BoundedCapture extends Block {
        private final Capture capture = new Capture();

        BoundedCapture() {
            super("capture");
        }

        @Override
        public Object render(TemplateContext context, LNode... nodes) {
            RenderBudget.check();
            Object result = capture.render(context, nodes);
            RenderBudget.measure(asString(nodes[0].render(context), context), context);
            return result;
        }
    }

    /**
     * {@code cycle} prints its values as they are, outside the outputs the engine escapes: in an HTML part a value
     * read from a variable ({@code {% cycle contact.first_name, 'x' %}}) is escaped like any output; quoted values,
     * which the shop wrote, are printed as written.
     */
    private static final class EscapingCycle extends Block {
        private final Cycle cycle = new Cycle();

        EscapingCycle() {
            super("cycle");
        }

        @Override
        public Object render(TemplateContext context, LNode... nodes) {
            if (!RenderBudget.htmlPart()) return cycle.render(context, nodes);
            LNode[] escaped = nodes.clone();
            for (int i = 1; i < escaped.length; i++) {
                LNode value = escaped[i];
                if (!(value instanceof AtomNode)) escaped[i] = ctx -> EscapeHtml.escape(String.valueOf(value.render(ctx)));
            }
            return cycle.render(context, escaped);
        }
    }

    /**
     * What the engine appends to every output of an HTML part: {@code & < > " '} as entities. Liquid's own
     * {@code escape} is the same filter, so a template that escapes by hand escapes the apostrophe too.
     */
    private static final class EscapeHtml extends Filter {
        EscapeHtml() {
            this(ESCAPE_HTML);
        }

        EscapeHtml(String name) {
            super(name);
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            if (value == null) return "";
            RenderBudget.check();
            return escape(asString(value, context));
        }

        static String escape(String text) {
            StringBuilder out = new StringBuilder(text.length() + 16);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '&' -> out.append("&amp;");
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    case '"' -> out.append("&quot;");
                    case '\'' -> out.append("&#39;");
                    default -> out.append(c);
                }
            }
            return out.toString();
        }
    }

    /** The explicit opt-out from escaping: the value is printed as it is (see {@link #warnings}). */
    private static final class TrustedHtml extends Filter {
        TrustedHtml() {
            super(TRUSTED_HTML);
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            return value;
        }
    }

    /** {@code {{ 12.5 | money }}} → "$12.50" in the shop's currency, or {@code money: "EUR"}. */
    private static final class Money extends Filter {
        /** NumberFormat is costly to make and not thread-safe: one per currency per thread. */
        private static final ThreadLocal<Map<String, NumberFormat>> FORMATS = ThreadLocal.withInitial(HashMap::new);

        Money() {
            super("money");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            if (value == null || String.valueOf(value).isBlank()) return "";
            BigDecimal amount;
            try {
                amount = new BigDecimal(String.valueOf(value).strip());
            } catch (NumberFormatException notANumber) {
                return String.valueOf(value);
            }
            String code = params.length > 0 && params[0] != null ? String.valueOf(params[0]) : currencyOf(context);
            try {
                return FORMATS.get().computeIfAbsent(code, c -> {
                    NumberFormat format = NumberFormat.getCurrencyInstance(Locale.US);
                    format.setCurrency(Currency.getInstance(c));
                    return format;
                }).format(amount);
            } catch (IllegalArgumentException unknownCurrency) {
                return amount.setScale(2, RoundingMode.HALF_UP).toPlainString() + " " + code;
            }
        }

        private static String currencyOf(TemplateContext context) {
            Object shop = context.get("shop");
            if (shop instanceof Map<?, ?> m && m.get("currency") != null) return String.valueOf(m.get("currency"));
            return "USD";
        }
    }
}
