package dev.kindling.local;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A client of DynamoDB Local that answers a TransactWriteItems only once its writes are on disk. DynamoDB Local (3.1)
 * runs each transaction between a SQLite BEGIN and COMMIT on its one database thread, but hands the COMMIT to that
 * thread without waiting for it and answers at once: for a moment the answered transaction is only in the process's
 * memory, and a runtime killed in it (SIGKILL, a power cut) comes back without it, though it acknowledged what it
 * stored (a webhook, an email's claim). On AWS an answered transaction is durable. Any request that reads through the
 * database thread waits behind that COMMIT, so after each transaction this client asks for one table name, a request
 * AWS never sees (the meter does not count it: it goes around {@code MeteredTable}). Only a data folder needs it; in
 * memory, everything goes with the process anyway.
 */
final class AwaitedCommits {
    private AwaitedCommits() {}

    static DynamoDbClient of(DynamoDbClient dynamo) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(dynamo, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            // once a transaction: a proxy hands its default methods here too, and the builder's-consumer overload, invoked on
            // the delegate, calls the delegate's own request overload, not this proxy's
            if (method.getName().equals("transactWriteItems")) dynamo.listTables(b -> b.limit(1));
            return result;
        };
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class}, handler);
    }
}
