package dev.kindling.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML as the documents' JSON trees, read and written one way everywhere (an admin body sent as YAML, the CLI's files).
 *
 * <p>Reading: a date such as {@code 2026-12-31} stays the text it is, as it would in JSON; YAML 1.1's timestamps would
 * turn it into a number of milliseconds no parser here expects. Writing: block style, keys in the document's order,
 * lines never folded, and text of several lines as a literal block ({@code |}) so a template's HTML diffs line by line in
 * git; the same tree always gives the same bytes.
 */
public final class YamlDocuments {
    private YamlDocuments() {}

    /** A YAML document the build put on the classpath ({@code path} from its root), as its tree; one missing is the build's fault. */
    public static JsonNode resource(String path) {
        try (InputStream in = YamlDocuments.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is not on the classpath");
            return read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The YAML's tree, with a field that is null kept as null, as the same document in JSON has it. */
    public static JsonNode read(String yaml) {
        return tree(new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(new DumperOptions()),
                new DumperOptions(), new LoaderOptions(), new TextDates()).load(yaml));
    }

    private static JsonNode tree(Object value) {
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = Json.object();
            map.forEach((k, v) -> object.set(String.valueOf(k), tree(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            list.forEach(e -> array.add(tree(e)));
            return array;
        }
        return value == null ? NullNode.getInstance() : Json.MAPPER.valueToTree(value);
    }

    public static String write(JsonNode document) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(0);
        options.setSplitLines(false);
        options.setWidth(Integer.MAX_VALUE);
        // the standard resolver, so text that other YAML readers would take for a date or a number is quoted
        return new Yaml(new SafeConstructor(new LoaderOptions()), new LiteralText(options), options, new LoaderOptions(), new Resolver())
                .dump(plain(document));
    }

    /** The tree as the maps, lists and scalars snakeyaml writes, in the tree's order. */
    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(f -> map.put(f.getKey(), plain(f.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(e -> list.add(plain(e)));
            return list;
        }
        if (node.isNull()) return null;
        if (node.isBoolean()) return node.booleanValue();
        if (node.isIntegralNumber()) return node.bigIntegerValue().bitLength() < 64 ? (Object) node.longValue() : node.bigIntegerValue();
        if (node.isBigDecimal()) return node.decimalValue();
        if (node.isNumber()) return node.doubleValue();
        return node.asText();
    }

    /** YAML 1.1's implicit types without timestamps. */
    private static final class TextDates extends Resolver {
        @Override
        public void addImplicitResolver(Tag tag, Pattern regexp, String first, int limit) {
            if (!Tag.TIMESTAMP.equals(tag)) super.addImplicitResolver(tag, regexp, first, limit);
        }
    }

    /** Text of several lines as a literal block; the rest as snakeyaml writes it (quoted only where YAML needs it). */
    private static final class LiteralText extends Representer {
        LiteralText(DumperOptions options) {
            super(options);
            this.representers.put(String.class, data -> {
                String text = (String) data;
                boolean block = text.contains("\n") && !text.contains("\r") && text.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\t')
                        && !text.matches("(?s).*[ \\t]\n.*") && !text.startsWith(" ");
                return representScalar(Tag.STR, text, block ? DumperOptions.ScalarStyle.LITERAL : null);
            });
        }

        @Override
        protected Node representScalar(Tag tag, String value, DumperOptions.ScalarStyle style) {
            return style == null ? super.representScalar(tag, value) : super.representScalar(tag, value, style);
        }
    }
}
