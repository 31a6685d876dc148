package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.aws.sqs.SqsFailedDeliveries;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** An erasure's pass over the failed-deliveries queue, against moto_server's SQS: the person's messages go, the rest stay readable at once. */
class SqsFailedDeliveriesTest {

    @Test
    void theErasedPersonsFailedDeliveriesAreDeletedAndEveryOtherOneIsVisibleAgainAtOnce() throws Exception {
        try (MotoServer moto = MotoServer.startOrSkip();
             SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(moto.endpoint)).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                     .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            String queue = sqs.createQueue(b -> b.queueName("kindling-test-failed-deliveries")).queueUrl();
            // what EventBridge dead-letters: whole events; three of them about the person, by profile id or address
            for (int i = 0; i < 25; i++) {
                String contact = i % 10 == 3 ? "c-erase-me" : "c-other-" + i;
                String body = "{\"detail-type\": \"Event Ingested\", \"detail\": {\"shopId\": \"demo\", \"contactId\": \"" + contact + "\", \"n\": " + i + "}}";
                sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
            }
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{\"detail\": {\"email\": \"erase.me@example.com\"}}"));

            int purged = new SqsFailedDeliveries(() -> sqs, queue).purge(List.of("c-erase-me", "erase.me@example.com"));

            assertThat(purged).isEqualTo(4);
            List<Message> left = new ArrayList<>();
            for (int page = 0; page < 10; page++) {
                List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
                if (got.isEmpty()) break;
                left.addAll(got);
            }
            assertThat(left).as("the others are visible again at once, not after the pass's hiding time").hasSize(22)
                    .noneMatch(m -> m.body().contains("c-erase-me") || m.body().contains("erase.me@example.com"));
        }
    }
}
