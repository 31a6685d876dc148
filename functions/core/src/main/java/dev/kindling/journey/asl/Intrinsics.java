package dev.kindling.journey.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kindling.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The intrinsic functions the journeys use, as Step Functions evaluates them in a {@code .$}
 * field: States.Format, States.StringToJson, States.JsonToString, States.Array, States.ArrayGetItem,
 * States.ArrayLength, States.ArrayContains, States.MathAdd. Arguments are strings in single quotes,
 * numbers, booleans, null, paths, or other intrinsic calls.
 */
final class Intrinsics {
    private final String text;
    private int at;
    private final JsonNode input;
    private final JsonNode context;

    private Intrinsics(String text, JsonNode input, JsonNode context) {
        this.text = text;
        this.input = input;
        this.context = context;
    }

    static boolean isCall(String value) {
        return value.startsWith("States.");
    }

    static JsonNode evaluate(String expression, JsonNode input, JsonNode context) {
        Intrinsics parser = new Intrinsics(expression.strip(), input, context);
        JsonNode value = parser.call();
        parser.skipSpaces();
        if (parser.at != parser.text.length()) throw parser.error("unexpected text after the call");
        return value;
    }

    private JsonNode call() {
        int start = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '.')) at++;
        String name = text.substring(start, at);
        expect('(');
        List<JsonNode> args = new ArrayList<>();
        skipSpaces();
        if (peek() != ')') {
            do {
                skipSpaces();
                args.add(argument());
                skipSpaces();
            } while (consume(','));
        }
        expect(')');
        return apply(name, args);
    }

    private JsonNode argument() {
        char c = peek();
        if (c == '\'') return JsonNodeFactory.instance.textNode(string());
        if (c == '$') {
            int start = at;
            int depth = 0;
            while (at < text.length()) {
                char ch = text.charAt(at);
                if (ch == '[') depth++;
                else if (ch == ']') depth--;
                else if ((ch == ',' || ch == ')') && depth == 0) break;
                at++;
            }
            return Paths.read(text.substring(start, at).strip(), input, context);
        }
        if (text.startsWith("States.", at)) return call();
        int start = at;
        while (at < text.length() && ",)".indexOf(text.charAt(at)) < 0) at++;
        String literal = text.substring(start, at).strip();
        try {
            return Json.MAPPER.readTree(literal);
        } catch (Exception e) {
            throw error("cannot read argument " + literal);
        }
    }

    private String string() {
        expect('\'');
        StringBuilder out = new StringBuilder();
        while (at < text.length() && text.charAt(at) != '\'') {
            char c = text.charAt(at++);
            if (c == '\\' && at < text.length()) c = text.charAt(at++);
            out.append(c);
        }
        expect('\'');
        return out.toString();
    }

    private JsonNode apply(String name, List<JsonNode> args) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (name) {
            case "States.Format" -> {
                String template = args.getFirst().asText();
                StringBuilder out = new StringBuilder();
                int next = 1;
                for (int i = 0; i < template.length(); i++) {
                    char c = template.charAt(i);
                    if (c == '\\' && i + 1 < template.length()) {
                        out.append(template.charAt(++i));
                    } else if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                        if (next >= args.size()) throw error("States.Format has more {} than arguments");
                        JsonNode arg = args.get(next++);
                        out.append(arg.isValueNode() ? arg.asText() : Json.write(arg));
                        i++;
                    } else {
                        out.append(c);
                    }
                }
                return f.textNode(out.toString());
            }
            case "States.StringToJson" -> {
                return Json.read(args.getFirst().asText(), JsonNode.class);
            }
            case "States.JsonToString" -> {
                return f.textNode(Json.write(args.getFirst()));
            }
            case "States.Array" -> {
                ArrayNode array = f.arrayNode();
                args.forEach(array::add);
                return array;
            }
            case "States.ArrayGetItem" -> {
                return args.get(0).get(args.get(1).asInt());
            }
            case "States.ArrayLength" -> {
                return f.numberNode(args.getFirst().size());
            }
            case "States.ArrayContains" -> {
                for (JsonNode item : args.get(0)) if (item.equals(args.get(1))) return f.booleanNode(true);
                return f.booleanNode(false);
            }
            case "States.MathAdd" -> {
                return f.numberNode(args.get(0).asLong() + args.get(1).asLong());
            }
            default -> throw error("unsupported intrinsic function " + name);
        }
    }

    private char peek() {
        skipSpaces();
        if (at >= text.length()) throw error("unexpected end");
        return text.charAt(at);
    }

    private boolean consume(char c) {
        skipSpaces();
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!consume(c)) throw error("expected '" + c + "'");
    }

    private void skipSpaces() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
    }

    private AslError error(String message) {
        return new AslError("States.Runtime", "intrinsic " + text + ": " + message + " at " + at);
    }
}
