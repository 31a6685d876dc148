package dev.kindling.handler.email;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.kindling.handler.AwsWiring;
import dev.kindling.json.Json;
import dev.kindling.send.EmailSending;
import dev.kindling.send.SendRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * SendFunction, invoked directly by journeys (a Step Functions task) and campaigns: one send
 * request in, its result out ({@code sent}, {@code skipped} and why, {@code deferred} until when,
 * {@code failed} and why). A malformed request fails the invocation with a message naming the
 * fields, and sends nothing.
 */
public final class SendHandler implements RequestStreamHandler {
    private final EmailSending sending;

    /** For Lambda. */
    public SendHandler() {
        this(AwsWiring.services().sending());
    }

    public SendHandler(EmailSending sending) {
        this.sending = sending;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        SendRequest request = SendRequest.parse(Json.MAPPER.readTree(input));
        Json.MAPPER.writeValue(output, sending.send(request));
    }
}
