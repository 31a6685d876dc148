package dev.kindling.aws.sqs;

import dev.kindling.lazy.Lazy;
import dev.kindling.privacy.FailedDeliveries;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The failed-deliveries queue, read through for an erasure: SQS deletes a message only by a receipt, so every
 * waiting message is received (hidden from other readers for {@value #HIDDEN_SECONDS} s), those that name the person
 * are deleted, and the rest are made visible again at once. The queue holds what failed every retry, normally a
 * handful, so the pass is bounded at {@value #MAX_PAGES} receives of 10 (a queue that long is an incident an operator
 * is already on; the erasure then says how many it removed and the queue's own 14-day retention ends the rest).
 */
public final class SqsFailedDeliveries implements FailedDeliveries {
    static final int MAX_PAGES = 100;
    /** Long enough for the pass; the messages that stay are made visible again when it ends. */
    static final int HIDDEN_SECONDS = 60;

    private final Lazy<SqsClient> client;
    private final String queueUrl;

    public SqsFailedDeliveries(Supplier<SqsClient> client, String queueUrl) {
        this.client = Lazy.of(client);
        this.queueUrl = queueUrl;
    }

    @Override
    public int purge(Collection<String> naming) {
        SqsClient sqs = client.get();
        List<Message> kept = new ArrayList<>();
        int purged = 0;
        try {
            for (int page = 0; page < MAX_PAGES; page++) {
                // a one-second wait asks every SQS server, so an empty answer means an empty queue, not a sample's miss
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .visibilityTimeout(HIDDEN_SECONDS).waitTimeSeconds(1)).messages();
                if (messages.isEmpty()) break;
                for (Message message : messages) {
                    if (naming.stream().anyMatch(message.body()::contains)) {
                        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                        purged++;
                    } else {
                        kept.add(message);
                    }
                }
            }
        } finally {
            for (int i = 0; i < kept.size(); i += 10) {
                List<ChangeMessageVisibilityBatchRequestEntry> batch = kept.subList(i, Math.min(kept.size(), i + 10)).stream()
                        .map(m -> ChangeMessageVisibilityBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle())
                                .visibilityTimeout(0).build()).toList();
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(batch));
            }
        }
        return purged;
    }
}
