package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** template.yaml and the code agree: every handler exists, the local runtime can build it, and every function has sample events. */
class TemplateTest {
    final SamTemplate template = SamTemplate.fromClasspath();

    @Test
    void everyHandlerInTheTemplateIsAStreamHandlerThatExists() throws Exception {
        assertThat(template.functions()).extracting(SamTemplate.Function::name).contains("IngestFunction", "AdminFunction",
                "ScoreFunction", "SegmentFunction", "SegmentRefreshFunction");
        for (SamTemplate.Function f : template.functions()) {
            assertThat(f.handler()).endsWith("::handleRequest");
            Class<?> handler = Class.forName(f.handlerClass());
            assertThat(RequestStreamHandler.class.isAssignableFrom(handler)).as(f.handler()).isTrue();
            assertThat(handler.getConstructor()).as("no-argument constructor for Lambda").isNotNull();
        }
    }

    @Test
    void theLocalRuntimeCanBuildEveryFunction() {
        var constructors = LocalFunctions.constructors();
        for (SamTemplate.Function f : template.functions()) {
            assertThat(constructors).as(f.handlerClass()).containsKey(f.handlerClass());
        }
    }

    @Test
    void everyFunctionHasSampleEventsAndEverySampleFolderIsAFunction() throws IOException {
        List<String> folders;
        try (Stream<Path> list = Files.list(Path.of("../../events"))) {
            folders = list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.equals("payloads")).toList();
        }
        assertThat(folders).containsExactlyInAnyOrderElementsOf(template.functions().stream().map(SamTemplate.Function::name).toList());
    }

    @Test
    void routesAreReadWithTheirMethodsAndPaths() {
        var ingest = template.functions().stream().filter(f -> f.name().equals("IngestFunction")).findFirst().orElseThrow();
        assertThat(ingest.routes()).extracting(SamTemplate.HttpRoute::routeKey)
                .containsExactlyInAnyOrder("POST /webhooks/shopify/{shopId}", "POST /webhooks/woocommerce/{shopId}", "POST /v1/{type}");
    }

    @Test
    void theRefreshScheduleIsReadWithItsParameterDefaultAndInput() {
        var refresh = template.functions().stream().filter(f -> f.name().equals("SegmentRefreshFunction")).findFirst().orElseThrow();
        assertThat(refresh.schedules()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("SegmentRefreshFunction.Schedule");
            assertThat(s.expression()).isEqualTo("cron(5 * * * ? *)");
            assertThat(s.input()).contains("time-based");
        });
        assertThat(LocalScheduler.next(refresh.schedules().getFirst().expression(), java.time.Instant.parse("2026-11-22T10:06:00Z")))
                .isEqualTo(java.time.Instant.parse("2026-11-22T11:05:00Z"));
        assertThat(LocalScheduler.next("rate(15 minutes)", java.time.Instant.parse("2026-11-22T10:06:00Z")))
                .isEqualTo(java.time.Instant.parse("2026-11-22T10:21:00Z"));
    }
}
