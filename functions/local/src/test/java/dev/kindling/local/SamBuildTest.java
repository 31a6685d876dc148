package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.local.lambda.DeployedStack;
import dev.kindling.local.lambda.SamBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code sam build} as SAM runs it for every function with {@code BuildMethod: makefile}: in a
 * scratch copy of the project, {@code make -f Makefile build-<LogicalId>} with ARTIFACTS_DIR set. A
 * function without a target, or an artifact without its handler class, fails here.
 */
class SamBuildTest {

    @Test
    void everyMakefileFunctionBuildsAnArtifactHoldingItsHandler() throws Exception {
        DeployedStack stack = DeployedStack.read(DeployedShape.ROOT.resolve("template.yaml"), null, "default", DeployedShape.FIRST_DEPLOY_PARAMETERS);
        List<String> functions = stack.makefileFunctions();
        assertThat(functions).as("every function is built by the Makefile").containsExactlyInAnyOrderElementsOf(stack.functions());
        for (String function : functions) {
            Path artifact = DeployedShape.artifact(function);
            String handlerClass = stack.handler(function).replaceFirst("::.*", "");
            assertThat(artifact.resolve(handlerClass.replace('.', '/') + ".class")).as(function + "'s handler in its artifact").isRegularFile();
        }
        // what texts need where they are sent: End User Messaging's client, and libphonenumber with its numbering plans
        Path sends = DeployedShape.artifact("SmsFunction");
        assertThat(sends.resolve("software/amazon/awssdk/services/pinpointsmsvoicev2/PinpointSmsVoiceV2Client.class")).isRegularFile();
        assertThat(sends.resolve("com/google/i18n/phonenumbers/PhoneNumberUtil.class")).isRegularFile();
        assertThat(sends.resolve("com/google/i18n/phonenumbers/data/PhoneNumberMetadataProto_US")).isRegularFile();
    }

    @Test
    void aMissingTargetFailsTheBuild() throws Exception {
        SamBuild.Run run = SamBuild.make(DeployedShape.scratch(), List.of("build-NoSuchFunction"), Map.of("ARTIFACTS_DIR", "/tmp/none"));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("No rule to make target");
    }

    @Test
    void theJarIsRebuiltWhenASourceIsNewerAndOnlyThen() throws Exception {
        Path scratch = DeployedShape.scratch();
        DeployedShape.artifact("IngestFunction"); // the scratch copy's jar is up to date after a build
        Map<String, String> env = Map.of("ARTIFACTS_DIR", "/tmp/none");
        assertThat(SamBuild.make(scratch, List.of("-n", "build-IngestFunction"), env).output()).doesNotContain("mvn");

        Path source;
        try (var files = Files.walk(scratch.resolve("functions/core/src/main/java"))) {
            source = files.filter(f -> f.toString().endsWith(".java")).findFirst().orElseThrow();
        }
        FileTime before = Files.getLastModifiedTime(source);
        try {
            Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(60)));
            assertThat(SamBuild.make(scratch, List.of("-n", "build-IngestFunction"), env).output()).as("a changed source rebuilds the jar")
                    .contains("mvn").contains("bin/jdk.sh");
        } finally {
            Files.setLastModifiedTime(source, before);
        }
    }
}
