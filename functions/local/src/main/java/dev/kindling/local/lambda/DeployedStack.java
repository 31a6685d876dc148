package dev.kindling.local.lambda;

import static dev.kindling.local.SamTemplate.map;

import dev.kindling.local.SamTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * template.yaml as one deployed stack sees it: its parameters (the template's defaults, then
 * samconfig.toml's {@code parameter_overrides} for a config env, then the caller's), and each
 * function's handler, memory and environment resolved as CloudFormation resolves them, with the
 * physical names the caller gives for the stack's resources. An intrinsic or a reference this
 * class cannot resolve fails with its name rather than passing through unresolved.
 */
public final class DeployedStack {
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Map<String, Object> document;
    private final Map<String, String> parameters;

    private DeployedStack(Map<String, Object> document, Map<String, String> parameters) {
        this.document = document;
        this.parameters = parameters;
    }

    /**
     * @param configEnv samconfig.toml's environment ({@code default}, {@code prod} …) whose deploy parameters apply
     * @param overrides parameters given on top, as {@code sam deploy --parameter-overrides} would
     * @throws IllegalArgumentException naming every parameter that has no value
     */
    public static DeployedStack read(Path template, Path samconfig, String configEnv, Map<String, String> overrides) throws IOException {
        Map<String, Object> document;
        try (InputStream in = Files.newInputStream(template)) {
            document = SamTemplate.readDocument(in);
        }
        return of(document, samconfig != null && Files.exists(samconfig) ? samconfigParameters(Files.readString(samconfig), configEnv) : Map.of(),
                overrides);
    }

    /** The stack of a template already read ({@link SamTemplate#readDocument}), with samconfig's parameters and the caller's on top. */
    public static DeployedStack of(Map<String, Object> document, Map<String, String> samconfigParameters, Map<String, String> overrides) {
        Map<String, String> parameters = new TreeMap<>();
        map(document.get("Parameters")).forEach((name, spec) -> {
            Object value = map(spec).get("Default");
            if (value != null) parameters.put(name, String.valueOf(value));
        });
        parameters.putAll(samconfigParameters);
        parameters.putAll(overrides);
        List<String> missing = map(document.get("Parameters")).keySet().stream().filter(p -> !parameters.containsKey(p)).toList();
        if (!missing.isEmpty()) throw new IllegalArgumentException("parameters without a value: " + String.join(", ", missing));
        return new DeployedStack(document, Map.copyOf(parameters));
    }

    /** The {@code parameter_overrides} of {@code [<env>.deploy.parameters]} (the only samconfig key read here). */
    static Map<String, String> samconfigParameters(String toml, String env) {
        Map<String, String> out = new LinkedHashMap<>();
        String section = null;
        for (String raw : toml.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("[")) section = line;
            else if (("[" + env + ".deploy.parameters]").equals(section) && line.startsWith("parameter_overrides")) {
                String value = line.substring(line.indexOf('=') + 1).strip();
                value = value.substring(1, value.length() - 1); // the quotes
                for (String pair : value.split("\\s+")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) out.put(pair.substring(0, eq), unquote(pair.substring(eq + 1)));
                }
            }
        }
        return out;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'")) ? value.substring(1, value.length() - 1) : value;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    /** The functions ({@code AWS::Serverless::Function}) in template order. */
    public List<String> functions() {
        return resourcesOfType("AWS::Serverless::Function");
    }

    /** The functions {@code sam build} builds with {@code make build-<LogicalId>}. */
    public List<String> makefileFunctions() {
        return functions().stream().filter(f -> "makefile".equals(map(resource(f).get("Metadata")).get("BuildMethod"))).toList();
    }

    public List<String> resourcesOfType(String type) {
        List<String> out = new ArrayList<>();
        map(document.get("Resources")).forEach((name, r) -> {
            if (type.equals(map(r).get("Type"))) out.add(name);
        });
        return out;
    }

    public String handler(String function) {
        return String.valueOf(property(function, "Handler"));
    }

    public int memorySize(String function) {
        return Integer.parseInt(String.valueOf(property(function, "MemorySize")));
    }

    /** A function's property, or the Globals' when the function does not set it. */
    private Object property(String function, String name) {
        Object own = map(resource(function).get("Properties")).get(name);
        return own != null ? own : map(map(document.get("Globals")).get("Function")).get(name);
    }

    /**
     * The function's environment variables: the Globals' merged with its own, every value resolved.
     *
     * @param refs the value of each resource reference the variables use ({@code KindlingTable}, {@code SendFunction.Alias},
     *             {@code KindlingTable.Arn} for GetAtt, pseudo parameters such as {@code AWS::Region})
     */
    public Map<String, String> environment(String function, Map<String, String> refs) {
        Map<String, Object> variables = new LinkedHashMap<>(variables(map(map(document.get("Globals")).get("Function"))));
        variables.putAll(variables(map(resource(function).get("Properties"))));
        Map<String, String> out = new TreeMap<>();
        variables.forEach((name, value) -> out.put(name, resolve(value, refs, function + ".Environment." + name)));
        return out;
    }

    /** A resource's property resolved, e.g. a state machine's {@code Name} or a schedule's {@code Name}. */
    public String resolvedProperty(String resource, String property, Map<String, String> refs) {
        Object value = map(resource(resource).get("Properties")).get(property);
        return value == null ? null : resolve(value, refs, resource + "." + property);
    }

    /**
     * The IAM actions a function's policies allow, as written ({@code ssm:GetParametersByPath}, …); SAM's policy
     * templates appear by name ({@code StepFunctionsExecutionPolicy} allows {@code states:StartExecution}).
     */
    public Set<String> allowedActions(String function) {
        Set<String> actions = new TreeSet<>();
        Object policies = map(resource(function).get("Properties")).get("Policies");
        if (!(policies instanceof List<?> list)) return actions;
        for (Object policy : list) {
            Map<String, Object> p = map(policy);
            if (p.containsKey("StepFunctionsExecutionPolicy")) actions.add("states:StartExecution");
            if (p.containsKey("LambdaInvokePolicy")) actions.add("lambda:InvokeFunction");
            Object statements = p.get("Statement");
            if (!(statements instanceof List<?> st)) continue;
            for (Object statement : st) {
                Object action = map(statement).get("Action");
                if (action instanceof List<?> al) al.forEach(a -> actions.add(String.valueOf(a)));
                else if (action != null) actions.add(String.valueOf(action));
            }
        }
        return actions;
    }

    /** A resource's property as written (maps, lists and intrinsics unresolved). */
    public Object rawProperty(String resource, String property) {
        return map(resource(resource).get("Properties")).get(property);
    }

    private static Map<String, Object> variables(Map<String, Object> properties) {
        return map(map(properties.get("Environment")).get("Variables"));
    }

    /** One value with CloudFormation's intrinsics (Ref, Fn::Sub, Fn::GetAtt, Fn::Join) resolved. */
    public String resolve(Object value, Map<String, String> refs, String where) {
        if (value instanceof Map<?, ?> m && m.size() == 1) {
            var entry = m.entrySet().iterator().next();
            String fn = String.valueOf(entry.getKey());
            Object arg = entry.getValue();
            switch (fn) {
                case "Ref" -> {
                    return lookup(String.valueOf(arg), refs, where);
                }
                case "Fn::GetAtt" -> {
                    String name = arg instanceof List<?> l ? l.get(0) + "." + l.get(1) : String.valueOf(arg);
                    return lookup(name, refs, where);
                }
                case "Fn::Sub" -> {
                    String text = arg instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(arg);
                    Map<String, String> local = new LinkedHashMap<>(refs);
                    if (arg instanceof List<?> l && l.size() > 1) {
                        map(l.get(1)).forEach((k, v) -> local.put(k, resolve(v, refs, where)));
                    }
                    Matcher matcher = SUB_VARIABLE.matcher(text);
                    StringBuilder out = new StringBuilder();
                    while (matcher.find()) matcher.appendReplacement(out, Matcher.quoteReplacement(lookup(matcher.group(1), local, where)));
                    matcher.appendTail(out);
                    return out.toString();
                }
                case "Fn::Join" -> {
                    List<?> l = (List<?>) arg;
                    return String.join(String.valueOf(l.get(0)), ((List<?>) l.get(1)).stream().map(v -> resolve(v, refs, where)).toList());
                }
                default -> throw new IllegalArgumentException(where + ": " + fn + " is not resolved here");
            }
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) throw new IllegalArgumentException(where + ": not a value: " + value);
        return String.valueOf(value);
    }

    private String lookup(String name, Map<String, String> refs, String where) {
        if (parameters.containsKey(name)) return parameters.get(name);
        String value = refs.get(name);
        if (value == null) throw new IllegalArgumentException(where + ": no value for " + name);
        return value;
    }

    private Map<String, Object> resource(String name) {
        Map<String, Object> resource = map(map(document.get("Resources")).get(name));
        if (resource.isEmpty()) throw new IllegalArgumentException("template.yaml has no resource " + name);
        return resource;
    }
}
