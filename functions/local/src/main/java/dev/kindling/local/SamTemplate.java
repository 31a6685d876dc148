package dev.kindling.local;

import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * What the local runtime takes from template.yaml: each function's handler, its HTTP API routes and whether it has a
 * function URL, its EventBridge rule patterns and its schedules (a parameter's default stands in for {@code !Ref}). CloudFormation's short tags (!Ref, !Sub, !GetAtt …) are read
 * as {@code {"Ref": …}}-style maps and otherwise left alone.
 */
public record SamTemplate(List<Function> functions, List<StateMachineResource> stateMachines, List<StreamMapping> streams) {

    /**
     * A function reading the table's stream ({@code AWS::Lambda::EventSourceMapping} of {@code KindlingTable.StreamArn}):
     * the records its filters pass (Lambda's filter patterns, as JSON), at most {@code batchSize} an invocation.
     */
    public record StreamMapping(String function, List<String> filters, int batchSize) {}

    /**
     * A state machine ({@code AWS::Serverless::StateMachine}): its definition file and substitutions,
     * where {@code !GetAtt X.Arn} of a function stands for that function.
     */
    public record StateMachineResource(String name, String definitionUri, Map<String, String> substitutions) {
        /** The journey id: the definition file's name without {@code .asl.json}. */
        public String journey() {
            String file = definitionUri.substring(definitionUri.lastIndexOf('/') + 1);
            return file.replace(".asl.json", "");
        }
    }

    /** @param url whether the function has a function URL ({@code FunctionUrlConfig}) */
    public record Function(String name, String handler, List<HttpRoute> routes, List<String> eventPatterns, List<Schedule> schedules,
                           boolean url) {
        /** The handler's class, without the {@code ::method} suffix. */
        public String handlerClass() {
            int colons = handler.indexOf("::");
            return colons < 0 ? handler : handler.substring(0, colons);
        }
    }

    /** An EventBridge Scheduler schedule ({@code ScheduleV2}): its expression and the input the function gets. */
    public record Schedule(String name, String expression, String input) {}

    public record HttpRoute(String method, String path) {
        public String routeKey() {
            return method + " " + path;
        }
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    public static SamTemplate fromClasspath() {
        try (InputStream in = SamTemplate.class.getResourceAsStream("/template.yaml")) {
            if (in == null) throw new IllegalStateException("template.yaml is not on the classpath");
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The template as a tree of maps and lists, CloudFormation's short tags read as their long forms ({@code !Ref x} as {@code {Ref: x}}). */
    public static Map<String, Object> readDocument(InputStream yaml) {
        return new Yaml(new CloudFormationConstructor()).load(yaml);
    }

    /** A node of {@link #readDocument}'s tree as a map: empty when it is absent or not one. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** A node of {@link #readDocument}'s tree as a list of maps: empty when it is absent or not a list. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Object node) {
        return node instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    public static SamTemplate parse(InputStream yaml) {
        Map<String, Object> root = readDocument(yaml);
        Map<String, Object> resources = (Map<String, Object>) root.getOrDefault("Resources", Map.of());
        List<Function> functions = new ArrayList<>();
        List<StateMachineResource> machines = new ArrayList<>();
        List<StreamMapping> streams = new ArrayList<>();
        resources.forEach((name, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            if ("AWS::Lambda::EventSourceMapping".equals(resource.get("Type"))) {
                Map<String, Object> props = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
                if (!String.valueOf(props.get("EventSourceArn")).contains("StreamArn")) return;
                Object function = props.get("FunctionName") instanceof Map<?, ?> m ? m.get("Ref") : props.get("FunctionName");
                List<String> filters = new ArrayList<>();
                Map<String, Object> criteria = (Map<String, Object>) props.getOrDefault("FilterCriteria", Map.of());
                list(criteria.get("Filters")).forEach(f -> filters.add(String.valueOf(f.get("Pattern"))));
                streams.add(new StreamMapping(String.valueOf(function).split("\\.")[0], List.copyOf(filters),
                        ((Number) props.getOrDefault("BatchSize", 100)).intValue()));
                return;
            }
            if ("AWS::Serverless::StateMachine".equals(resource.get("Type"))) {
                Map<String, Object> props = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
                Map<String, String> substitutions = new LinkedHashMap<>();
                ((Map<String, Object>) props.getOrDefault("DefinitionSubstitutions", Map.of())).forEach((k, v) -> {
                    // !GetAtt F.Arn or !Ref F.Alias: the function F
                    Object att = v instanceof Map<?, ?> m ? (m.containsKey("Fn::GetAtt") ? m.get("Fn::GetAtt") : m.get("Ref")) : null;
                    String target = att instanceof String ref ? ref.split("\\.")[0] : att instanceof List<?> l ? String.valueOf(l.getFirst()) : String.valueOf(v);
                    substitutions.put(k, target);
                });
                machines.add(new StateMachineResource(name, String.valueOf(props.get("DefinitionUri")), Map.copyOf(substitutions)));
                return;
            }
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) return;
            Map<String, Object> props = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
            List<HttpRoute> routes = new ArrayList<>();
            List<String> patterns = new ArrayList<>();
            List<Schedule> schedules = new ArrayList<>();
            Map<String, Object> events = (Map<String, Object>) props.getOrDefault("Events", Map.of());
            events.forEach((eventName, e) -> {
                Map<String, Object> event = (Map<String, Object>) e;
                Map<String, Object> eventProps = (Map<String, Object>) event.getOrDefault("Properties", Map.of());
                switch (String.valueOf(event.get("Type"))) {
                    case "HttpApi" -> routes.add(new HttpRoute(String.valueOf(eventProps.get("Method")).toUpperCase(),
                            String.valueOf(eventProps.get("Path"))));
                    case "EventBridgeRule", "CloudWatchEvent" -> patterns.add(Json.write(resolveAll(eventProps.get("Pattern"), root)));
                    case "ScheduleV2" -> schedules.add(new Schedule(name + "." + eventName,
                            String.valueOf(resolve(eventProps.get("ScheduleExpression"), root)),
                            eventProps.get("Input") == null ? "{}" : String.valueOf(eventProps.get("Input"))));
                    default -> { }
                }
            });
            functions.add(new Function(name, String.valueOf(props.get("Handler")), List.copyOf(routes), List.copyOf(patterns),
                    List.copyOf(schedules), props.containsKey("FunctionUrlConfig")));
        });
        return new SamTemplate(List.copyOf(functions), List.copyOf(machines), List.copyOf(streams));
    }

    /**
     * A {@code !Ref} to a parameter becomes the parameter's default, a {@code !Ref} to a resource with a
     * {@code Name} that name (as CloudFormation's Ref gives it), and a {@code !Sub} is filled from
     * those; anything else is taken as written.
     */
    @SuppressWarnings("unchecked")
    private static Object resolve(Object value, Map<String, Object> root) {
        if (!(value instanceof Map<?, ?> map) || map.size() != 1) return value;
        if (map.get("Ref") instanceof String ref) {
            Map<String, Object> parameters = (Map<String, Object>) root.getOrDefault("Parameters", Map.of());
            Map<String, Object> resources = (Map<String, Object>) root.getOrDefault("Resources", Map.of());
            if (parameters.get(ref) instanceof Map<?, ?> p) return ((Map<String, Object>) p).get("Default");
            if (resources.get(ref) instanceof Map<?, ?> r && r.get("Properties") instanceof Map<?, ?> props && props.get("Name") != null) {
                return resolve(props.get("Name"), root);
            }
        }
        if (map.get("Fn::Sub") instanceof String text) {
            Matcher matcher = SUB_VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                Object resolved = resolve(Map.of("Ref", matcher.group(1)), root);
                matcher.appendReplacement(out, Matcher.quoteReplacement(resolved instanceof Map ? matcher.group() : String.valueOf(resolved)));
            }
            matcher.appendTail(out);
            return out.toString();
        }
        return value;
    }

    /** {@link #resolve} through a whole value: a rule pattern may name a parameter anywhere in it. */
    private static Object resolveAll(Object value, Map<String, Object> root) {
        Object resolved = resolve(value, root);
        if (resolved != value) return resolved;
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, resolveAll(v, root)));
            return out;
        }
        if (value instanceof List<?> list) return list.stream().map(v -> resolveAll(v, root)).toList();
        return value;
    }

    /** Reads {@code !Tag value} as {@code {"Tag": value}} (with {@code Fn::} where CloudFormation has it). */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            this.yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    String key = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                    Object value;
                    if (node instanceof ScalarNode scalar) value = constructScalar(scalar);
                    else if (node instanceof SequenceNode seq) value = constructSequence(seq);
                    else value = constructMapping((MappingNode) node);
                    Map<String, Object> map = new LinkedHashMap<>();
                    map.put(key, value);
                    return map;
                }
            });
        }
    }
}
