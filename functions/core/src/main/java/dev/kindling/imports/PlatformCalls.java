package dev.kindling.imports;

import dev.kindling.retry.Backoff;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A call to a shop platform's API, retried with backoff when it throttles (429), fails (5xx) or the connection breaks. */
final class PlatformCalls {
    static final int ATTEMPTS = 5;

    private PlatformCalls() {}

    /**
     * @param what           the API, as problems name it
     * @param refusedMeaning what a 401 or 403 means for this API's credentials
     * @throws IllegalStateException for any answer but 200, once the retries are spent
     */
    static HttpResponse<String> send(HttpClient http, HttpRequest request, String what, String refusedMeaning) {
        for (int attempt = 0; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if ((status == 429 || status >= 500) && attempt < ATTEMPTS - 1) {
                    Backoff.pause(attempt, 500, 8000, what);
                    continue;
                }
                if (status != 200) throw new IllegalStateException(what + " answered HTTP " + status + (status == 401 || status == 403 ? ": " + refusedMeaning : ""));
                return response;
            } catch (IOException e) {
                if (attempt >= ATTEMPTS - 1) throw new UncheckedIOException("calling " + what, e);
                Backoff.pause(attempt, 500, 8000, what);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
