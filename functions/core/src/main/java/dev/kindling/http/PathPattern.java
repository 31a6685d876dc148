package dev.kindling.http;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API Gateway route's path as a pattern: {@code {name}} stands for one segment, {@code {name+}} (a greedy variable)
 * for the rest of the path, slashes included; its parameter is {@code name}. The router of a greedy route and the
 * local server, which plays API Gateway, match paths with it.
 *
 * @param regex    the whole path, each variable a group in order
 * @param names    the variables' names, in order
 * @param literals how many of the path's segments are literal (API Gateway prefers the route with more)
 */
public record PathPattern(Pattern regex, List<String> names, int literals) {
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

    public static PathPattern of(String path) {
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        Matcher variable = VARIABLE.matcher(path);
        int last = 0;
        while (variable.find()) {
            boolean greedy = variable.group(1).endsWith("+");
            regex.append(Pattern.quote(path.substring(last, variable.start()))).append(greedy ? "(.+)" : "([^/]+)");
            names.add(greedy ? variable.group(1).substring(0, variable.group(1).length() - 1) : variable.group(1));
            last = variable.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        int segments = (int) path.chars().filter(c -> c == '/').count();
        return new PathPattern(Pattern.compile(regex.toString()), List.copyOf(names), segments - names.size());
    }
}
