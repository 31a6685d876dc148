package dev.kindling.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/** The start of an emulator the tests run as a process of its own (moto_server, aws-ses-v2-local) on a free loopback port. */
final class EmulatorProcess {
    private EmulatorProcess() {}

    static int freePort() throws IOException {
        return EmbeddedDynamo.freePort();
    }

    /** Waits until {@code url} answers 200; fails when the process exits first or the time runs out. */
    static void awaitReady(Process process, String url, String name, Duration within) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // starting
            }
            if (!process.isAlive()) throw new IllegalStateException(name + " exited with " + process.exitValue());
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not answer within " + within.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }
}
