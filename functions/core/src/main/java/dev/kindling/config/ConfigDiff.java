package dev.kindling.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What applying a folder's configuration to a shop would change, document by document and field by field. Documents
 * compare as the shop holds them once saved ({@link ConfigKind#normal}), so a file that saving would not change is no
 * change. A document the shop has and the folder does not is removed only when asked ({@code prune}); settings and
 * scoring are never removed.
 */
public final class ConfigDiff {
    private static final int SHOWN = 80;

    private ConfigDiff() {}

    public enum Action { ADD, CHANGE, REMOVE }

    /** @param fields for a change, each field that differs: {@code path: was → now}, {@code + path: now}, {@code - path: was} */
    public record Change(Action action, ConfigDocument document, List<String> fields) {}

    /** The changes in the order they are applied: additions and changes as {@link ShopConfig#inApplyOrder}, then removals in reverse. */
    public static List<Change> between(ShopConfig current, ShopConfig wanted, boolean prune) {
        ShopConfig shop = current.normal(), folder = wanted.normal();
        List<Change> changes = new ArrayList<>();
        for (ConfigDocument want : folder.inApplyOrder()) {
            ConfigDocument has = shop.documents().get(want.file());
            if (has == null) {
                changes.add(new Change(Action.ADD, want, List.of()));
            } else if (!has.body().equals(want.body())) {
                List<String> fields = new ArrayList<>();
                fields("", has.body(), want.body(), fields);
                changes.add(new Change(Action.CHANGE, want, fields));
            }
        }
        if (prune) {
            onlyOnShop(shop, folder).stream().sorted(Comparator.comparing(shop.inApplyOrder()::indexOf).reversed())
                    .forEach(d -> changes.add(new Change(Action.REMOVE, d, List.of())));
        }
        return changes;
    }

    /** What the shop has that the folder does not: what {@code prune} would remove. */
    public static List<ConfigDocument> onlyOnShop(ShopConfig current, ShopConfig wanted) {
        return current.documents().values().stream().filter(d -> !d.kind().single() && !wanted.documents().containsKey(d.file())).toList();
    }

    private static void fields(String path, JsonNode was, JsonNode now, List<String> into) {
        if (was.equals(now)) return;
        if (was.isObject() && now.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            was.fieldNames().forEachRemaining(names::add);
            now.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String at = path.isEmpty() ? name : path + "." + name;
                if (!now.has(name)) into.add("- " + at + ": " + shown(was.get(name)));
                else if (!was.has(name)) into.add("+ " + at + ": " + shown(now.get(name)));
                else fields(at, was.get(name), now.get(name), into);
            }
        } else if (was.isArray() && now.isArray() && was.size() == now.size()) {
            for (int i = 0; i < was.size(); i++) fields(path + "[" + i + "]", was.get(i), now.get(i), into);
        } else if (was.isTextual() && now.isTextual() && (was.asText().contains("\n") || now.asText().contains("\n"))) {
            String[] a = was.asText().split("\n", -1), b = now.asText().split("\n", -1);
            int line = 0;
            while (line < Math.min(a.length, b.length) && a[line].equals(b[line])) line++;
            into.add("~ " + path + ": " + a.length + " lines → " + b.length + " lines, first difference at line " + (line + 1) + ": "
                    + shown(Json.MAPPER.getNodeFactory().textNode(line < b.length ? b[line] : "")));
        } else {
            into.add("~ " + path + ": " + shown(was) + " → " + shown(now));
        }
    }

    private static String shown(JsonNode value) {
        String text = Json.write(value);
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN - 1) + "…";
    }
}
