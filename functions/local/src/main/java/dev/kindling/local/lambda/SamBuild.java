package dev.kindling.local.lambda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code sam build} does for a function with {@code BuildMethod: makefile}: runs
 * {@code make -f Makefile build-<LogicalId>} in the source folder with {@code ARTIFACTS_DIR} set to
 * an empty folder, which then holds the function as Lambda receives it.
 */
public final class SamBuild {
    private SamBuild() {}

    /** What one make run printed and how it ended. */
    public record Run(int exitCode, String output) {}

    /**
     * Builds one function's artifact.
     *
     * @throws IllegalStateException when make fails (the message holds its output)
     */
    public static Path build(Path sourceDir, String function, Path artifactsDir) throws IOException, InterruptedException {
        Files.createDirectories(artifactsDir);
        Run run = make(sourceDir, List.of("build-" + function), Map.of("ARTIFACTS_DIR", artifactsDir.toAbsolutePath().toString()));
        if (run.exitCode() != 0) {
            throw new IllegalStateException("make build-" + function + " failed (exit " + run.exitCode() + "):\n" + run.output());
        }
        return artifactsDir;
    }

    /** Runs make with the project's Makefile in a source folder. */
    public static Run make(Path sourceDir, List<String> arguments, Map<String, String> environment) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("make", "-f", "Makefile"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(sourceDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), output);
    }
}
