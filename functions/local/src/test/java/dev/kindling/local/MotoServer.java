package dev.kindling.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code moto_server}, the AWS emulator in this machine image's Python, on a free loopback port: real
 * SDK requests over the wire for SSM, EventBridge, Step Functions and Scheduler. Where it is not
 * installed the tests that need it are skipped with that reason, never passed.
 */
final class MotoServer implements AutoCloseable {
    private final Process process;
    final String endpoint;

    private MotoServer(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static MotoServer startOrSkip() throws Exception {
        Path executable = onPath("moto_server");
        Assumptions.assumeTrue(executable != null,
                "moto_server is not on PATH: the deployed-shape tier needs it (the machine image's Python ships moto 5 with moto_server)");
        int port = EmulatorProcess.freePort();
        Process process = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String endpoint = "http://127.0.0.1:" + port;
        EmulatorProcess.awaitReady(process, endpoint + "/moto-api/", "moto_server", Duration.ofSeconds(60));
        return new MotoServer(process, endpoint);
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
