package dev.kindling.journey.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.kindling.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSONPath as States Language uses it: paths select from the state's input ({@code $}) or the
 * context object ({@code $$}) with Jayway JsonPath over Jackson trees; reference paths
 * (ResultPath) name one place to write and are applied here.
 */
final class Paths {
    private static final Configuration READ = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
            .mappingProvider(new JacksonMappingProvider(Json.MAPPER)).build();
    private static final Map<String, JsonPath> COMPILED = new ConcurrentHashMap<>();
    private static final Pattern SEGMENT = Pattern.compile("\\.([A-Za-z_$][\\w$-]*)|\\['([^']*)']|\\[(\\d+)]");

    private Paths() {}

    /** The value a path selects; a path that matches nothing is States.Runtime, as in Step Functions. */
    static JsonNode read(String path, JsonNode input, JsonNode context) {
        JsonNode root = input;
        String p = path;
        if (path.startsWith("$$")) {
            root = context;
            p = path.substring(1);
        }
        if (p.equals("$")) return root;
        try {
            Object found = COMPILED.computeIfAbsent(p, JsonPath::compile).read(root, READ);
            return found instanceof JsonNode node ? node : Json.MAPPER.valueToTree(found);
        } catch (PathNotFoundException missing) {
            throw new AslError("States.Runtime", "the JSONPath " + path + " could not be found in the input " + Json.write(root));
        } catch (InvalidPathException invalid) {
            throw new AslError("States.Runtime", "invalid JSONPath " + path + ": " + invalid.getMessage());
        }
    }

    /** Whether a path selects something (Choice's IsPresent). */
    static boolean present(String path, JsonNode input, JsonNode context) {
        try {
            read(path, input, context);
            return true;
        } catch (AslError missing) {
            return false;
        }
    }

    /** ResultPath: the input with the result placed at the path ({@code $}: the result replaces it; null: the input unchanged). */
    static JsonNode put(JsonNode input, String resultPath, JsonNode result, boolean discard) {
        if (discard) return input;
        if (resultPath == null || resultPath.equals("$")) return result;
        if (!resultPath.startsWith("$")) throw new AslError("States.Runtime", "invalid ResultPath " + resultPath);
        List<Object> segments = new ArrayList<>();
        Matcher m = SEGMENT.matcher(resultPath);
        int at = 1;
        while (m.find(at) && m.start() == at) {
            if (m.group(1) != null) segments.add(m.group(1));
            else if (m.group(2) != null) segments.add(m.group(2));
            else segments.add(Integer.parseInt(m.group(3)));
            at = m.end();
        }
        if (at != resultPath.length()) throw new AslError("States.Runtime", "invalid ResultPath " + resultPath);
        if (!input.isObject()) throw new AslError("States.Runtime", "ResultPath " + resultPath + " needs an object input");
        JsonNode copy = input.deepCopy();
        JsonNode node = copy;
        for (int i = 0; i < segments.size(); i++) {
            Object seg = segments.get(i);
            boolean last = i == segments.size() - 1;
            if (seg instanceof String field) {
                if (!(node instanceof ObjectNode obj)) throw new AslError("States.Runtime", "ResultPath " + resultPath + " crosses a non-object");
                if (last) obj.set(field, result);
                else {
                    JsonNode child = obj.get(field);
                    if (child == null || !child.isContainerNode()) child = obj.putObject(field);
                    node = child;
                }
            } else {
                int index = (Integer) seg;
                if (!(node instanceof ArrayNode arr) || index >= arr.size()) throw new AslError("States.Runtime", "ResultPath " + resultPath + " names no array element");
                if (last) arr.set(index, result);
                else node = arr.get(index);
            }
        }
        return copy;
    }
}
