package dev.kindling.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The domain core stays plain Java: no AWS SDK, no Lambda runtime. */
class CoreHasNoAwsImportsTest {

    @Test
    void noSourceFileOfTheCoreImportsAwsOrLambda() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).isDirectory();
        List<String> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(CoreHasNoAwsImportsTest::importsAws)
                    .map(Path::toString).toList();
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void theCheckWouldCatchAnAwsImport() throws IOException {
        Path file = Files.createTempFile("Offender", ".java");
        Files.writeString(file, "package x;\nimport software.amazon.awssdk.services.dynamodb.DynamoDbClient;\n");
        assertThat(importsAws(file)).isTrue();
    }

    private static boolean importsAws(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip)
                    .anyMatch(l -> l.startsWith("import software.amazon.") || l.startsWith("import com.amazonaws.")
                            || l.startsWith("import static software.amazon.") || l.startsWith("import static com.amazonaws."));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
