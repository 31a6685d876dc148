package dev.kindling.aws.sms;

import dev.kindling.lazy.Lazy;
import dev.kindling.send.EmailSender.Rejected;
import dev.kindling.send.EmailSender.Throttled;
import dev.kindling.send.SmsSender;
import java.util.function.Supplier;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2Client;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.AccessDeniedException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ConflictException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.MessageType;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.PinpointSmsVoiceV2Exception;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ResourceNotFoundException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.SendTextMessageRequest;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ThrottlingException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ValidationException;

/**
 * Texts through AWS End User Messaging SMS ({@code pinpoint-sms-voice-v2} SendTextMessage): from the deployment's
 * origination identity (a phone number, pool or sender id; its ARN), with the configuration set whose event
 * destination returns the delivery receipts, and the context that finds each receipt's message. A number on the
 * account's opt-out list is refused by AWS (ConflictException), as a STOP there never depends on us alone.
 */
public final class EndUserMessagingSmsSender implements SmsSender {
    private final Lazy<PinpointSmsVoiceV2Client> client;
    private final String originationIdentity;
    private final String configurationSet;

    /** Builds the client on the first text: most functions share the wiring and never text. */
    public EndUserMessagingSmsSender(Supplier<PinpointSmsVoiceV2Client> client, String originationIdentity, String configurationSet) {
        this.client = Lazy.of(client);
        this.originationIdentity = originationIdentity;
        this.configurationSet = configurationSet;
    }

    @Override
    public String send(OutgoingText text) {
        if (originationIdentity == null || originationIdentity.isBlank()) {
            throw new Rejected("no origination identity: the stack's SmsOriginationIdentity parameter is empty, so texts are off");
        }
        try {
            return client.get().sendTextMessage(request(text)).messageId();
        } catch (ThrottlingException | ServiceQuotaExceededException e) {
            throw new Throttled(e.getClass().getSimpleName().replace("Exception", "") + ": " + message(e));
        } catch (ConflictException e) {
            // its reason says why: DESTINATION_PHONE_NUMBER_OPTED_OUT for a number on the account's opt-out list
            throw new Rejected("Conflict: " + e.reasonAsString() + ": " + message(e));
        } catch (ValidationException | AccessDeniedException | ResourceNotFoundException e) {
            // an opted-out or invalid number, an identity that may not send there: nothing went out, and never will
            throw new Rejected(e.getClass().getSimpleName().replace("Exception", "") + ": " + message(e));
        } catch (PinpointSmsVoiceV2Exception e) {
            if (e.statusCode() == 429) throw new Throttled(message(e));
            if (e.statusCode() >= 400 && e.statusCode() < 500) throw new Rejected("HTTP " + e.statusCode() + ": " + message(e));
            throw e;
        }
    }

    SendTextMessageRequest request(OutgoingText text) {
        return SendTextMessageRequest.builder()
                .destinationPhoneNumber(text.destination())
                .originationIdentity(originationIdentity)
                .messageBody(text.body())
                .messageType(text.marketing() ? MessageType.PROMOTIONAL : MessageType.TRANSACTIONAL)
                .configurationSetName(configurationSet == null || configurationSet.isBlank() ? null : configurationSet)
                .context(text.context())
                .build();
    }

    private static String message(PinpointSmsVoiceV2Exception e) {
        return e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    }
}
