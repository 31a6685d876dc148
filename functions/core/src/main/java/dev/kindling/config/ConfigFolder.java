package dev.kindling.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.YamlDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A shop's configuration as a folder of YAML files, one document per file, in a fixed layout: {@code settings.yaml},
 * {@code scoring.yaml}, and {@code templates/}, {@code segments/}, {@code journeys/}, {@code campaigns/} of
 * {@code <id>.yaml}. Written in a stable form, so the same configuration always gives the same bytes and a change to it
 * the smallest diff in git.
 */
public final class ConfigFolder {
    private static final Pattern WHERE = Pattern.compile("line (\\d+), column (\\d+)");

    private ConfigFolder() {}

    /**
     * The folder's documents; each file that is not one (unreadable YAML, not a mapping, a name the layout does not have,
     * an id the admin API would refuse) is a problem {@code file: message} instead. Other files (a README, {@code .git})
     * are left alone.
     */
    public static ShopConfig read(Path dir, List<String> problems) {
        List<ConfigDocument> documents = new ArrayList<>();
        for (Path path : yamlFiles(dir)) {
            String file = relative(dir, path);
            var place = ConfigKind.of(file);
            if (place.isEmpty()) {
                problems.add(file + ": not a file of the layout (settings.yaml, scoring.yaml, templates/, segments/, journeys/, campaigns/ of <id>.yaml)");
                continue;
            }
            if (!place.get().kind().single() && !place.get().id().matches(ConfigKind.ID)) {
                problems.add(file + ": the file's name is the id: 1-64 lower-case letters, digits, '-' or '_'");
                continue;
            }
            JsonNode body;
            try {
                body = YamlDocuments.read(Files.readString(path, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException unreadable) {
                String said = String.valueOf(unreadable.getMessage());
                Matcher at = WHERE.matcher(said);
                String where = at.find() ? "line " + at.group(1) + ", column " + at.group(2) + ": " : "";
                problems.add(file + ": " + where + "not valid YAML: " + said.lines().findFirst().orElse(""));
                continue;
            }
            if (body == null || !body.isObject()) {
                problems.add(file + ": must be a mapping (the document's fields)");
                continue;
            }
            documents.add(new ConfigDocument(place.get().kind(), place.get().id(), body));
        }
        return ShopConfig.of(documents);
    }

    /**
     * Writes every document to its file, each with the comment lines {@code headers} has for it, and deletes the layout's
     * files the configuration no longer has, so the folder is the configuration and nothing else of the layout.
     */
    public static void write(Path dir, ShopConfig config, Map<String, List<String>> headers) {
        try {
            for (Path stale : yamlFiles(dir)) {
                String file = relative(dir, stale);
                if (ConfigKind.of(file).isPresent() && !config.documents().containsKey(file)) Files.delete(stale);
            }
            for (ConfigDocument d : config.documents().values()) {
                Path file = dir.resolve(d.file());
                Files.createDirectories(file.getParent());
                StringBuilder text = new StringBuilder();
                for (String line : headers.getOrDefault(d.file(), List.of())) text.append("# ").append(line).append('\n');
                Files.writeString(file, text.append(YamlDocuments.write(d.body())), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file's path in the folder as the layout names it: {@code segments/vip.yaml}, with forward slashes. */
    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }

    private static List<Path> yamlFiles(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> walk = Files.walk(dir, 2)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                    .filter(p -> !relative(dir, p).startsWith(".") && !relative(dir, p).contains("/."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
