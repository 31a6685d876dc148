package dev.kindling.local;

import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * What the local runtime takes from template.yaml: each function's handler, its HTTP API routes
 * and its EventBridge rule patterns. CloudFormation's short tags (!Ref, !Sub, !GetAtt …) are read
 * as {@code {"Ref": …}}-style maps and otherwise left alone.
 */
public record SamTemplate(List<Function> functions) {

    public record Function(String name, String handler, List<HttpRoute> routes, List<String> eventPatterns) {
        /** The handler's class, without the {@code ::method} suffix. */
        public String handlerClass() {
            int colons = handler.indexOf("::");
            return colons < 0 ? handler : handler.substring(0, colons);
        }
    }

    public record HttpRoute(String method, String path) {
        public String routeKey() {
            return method + " " + path;
        }
    }

    public static SamTemplate fromClasspath() {
        try (InputStream in = SamTemplate.class.getResourceAsStream("/template.yaml")) {
            if (in == null) throw new IllegalStateException("template.yaml is not on the classpath");
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static SamTemplate parse(InputStream yaml) {
        Map<String, Object> root = new Yaml(new CloudFormationConstructor()).load(yaml);
        Map<String, Object> resources = (Map<String, Object>) root.getOrDefault("Resources", Map.of());
        List<Function> functions = new ArrayList<>();
        resources.forEach((name, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) return;
            Map<String, Object> props = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
            List<HttpRoute> routes = new ArrayList<>();
            List<String> patterns = new ArrayList<>();
            Map<String, Object> events = (Map<String, Object>) props.getOrDefault("Events", Map.of());
            events.values().forEach(e -> {
                Map<String, Object> event = (Map<String, Object>) e;
                Map<String, Object> eventProps = (Map<String, Object>) event.getOrDefault("Properties", Map.of());
                switch (String.valueOf(event.get("Type"))) {
                    case "HttpApi" -> routes.add(new HttpRoute(String.valueOf(eventProps.get("Method")).toUpperCase(),
                            String.valueOf(eventProps.get("Path"))));
                    case "EventBridgeRule", "CloudWatchEvent" -> patterns.add(Json.write(eventProps.get("Pattern")));
                    default -> { }
                }
            });
            functions.add(new Function(name, String.valueOf(props.get("Handler")), List.copyOf(routes), List.copyOf(patterns)));
        });
        return new SamTemplate(List.copyOf(functions));
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
