package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The public sign-up: one source cannot sign up a list of strangers, and nobody can bombard one address. */
class SignUpLimitsTest extends WithLocalRuntime {

    HttpResponse<String> signUp(String email) throws Exception {
        return client.send(HttpRequest.newBuilder(client.url("/email/demo/subscribe")).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"email\": \"" + email + "\"}")));
    }

    @Test
    void oneAddressFiveTimesADayAndOneSourceTwentyTimesAnHour() throws Exception {
        for (int i = 0; i < 5; i++) assertThat(signUp("target@example.com").statusCode()).isEqualTo(202);
        HttpResponse<String> sixth = signUp("target@example.com");
        assertThat(sixth.statusCode()).isEqualTo(429);
        assertThat(sixth.body()).contains("too_many_requests");
        assertThat(runtime.outbox().all().stream().filter(s -> s.email().to().equals("target@example.com"))).as("one confirmation a day").hasSize(1);

        // the same source (every request here comes from 127.0.0.1): 14 more addresses make 20 sign-ups, the 21st is refused
        for (int i = 0; i < 14; i++) assertThat(signUp("friend" + i + "@example.com").statusCode()).isEqualTo(202);
        assertThat(signUp("stranger@example.com").statusCode()).isEqualTo(429);
        assertThat(runtime.outbox().all().stream().filter(s -> s.email().to().equals("stranger@example.com"))).isEmpty();
    }
}
