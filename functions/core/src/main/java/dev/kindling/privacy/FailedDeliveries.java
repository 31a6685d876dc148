package dev.kindling.privacy;

import java.util.Collection;

/**
 * Deliveries that failed every retry and wait for an operator: on AWS the failed-deliveries queue (SQS: bus rule
 * targets, schedules, failed asynchronous invocations, kept 14 days), locally the bus's dead letters. They carry whole
 * events, the person's data with them, so an erasure takes out every one that names the person.
 */
public interface FailedDeliveries {

    /** Removes every waiting delivery whose body holds one of these values (profile ids, an address); how many. */
    int purge(Collection<String> naming);
}
