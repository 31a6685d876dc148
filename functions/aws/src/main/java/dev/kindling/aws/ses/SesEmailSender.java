package dev.kindling.aws.ses;

import dev.kindling.lazy.Lazy;
import dev.kindling.send.EmailSender;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AccountSuspendedException;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.MailFromDomainNotVerifiedException;
import software.amazon.awssdk.services.sesv2.model.Message;
import software.amazon.awssdk.services.sesv2.model.MessageHeader;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.MessageTag;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * {@link EmailSender} over SES v2 {@code SendEmail} (simple content, so SES builds the MIME
 * message): the configuration set that publishes events and tracks opens and clicks, EmailTags
 * that come back on every event, and the List-Unsubscribe headers.
 */
public final class SesEmailSender implements EmailSender {
    private final Lazy<SesV2Client> client;

    public SesEmailSender(SesV2Client ses) {
        this(() -> ses);
    }

    /** Builds the client on the first send: most functions share the wiring and never send. */
    public SesEmailSender(Supplier<SesV2Client> client) {
        this.client = Lazy.of(client);
    }

    private SesV2Client ses() {
        return client.get();
    }

    @Override
    public String send(OutgoingEmail email) {
        try {
            return ses().sendEmail(request(email)).messageId();
        } catch (TooManyRequestsException e) {
            throw new Throttled(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
        } catch (LimitExceededException e) {
            // the daily quota or the send rate: nothing went out
            throw new Throttled("limit exceeded: " + message(e));
        } catch (MessageRejectedException | MailFromDomainNotVerifiedException | AccountSuspendedException | SendingPausedException
                 | NotFoundException | BadRequestException e) {
            throw new Rejected(e.getClass().getSimpleName().replace("Exception", "") + ": " + message(e));
        } catch (SesV2Exception e) {
            // an error without a known code: a 4xx was refused as sent (nothing went out), a 5xx may or may not have been
            if (e.statusCode() == 429) throw new Throttled(message(e));
            if (e.statusCode() >= 400 && e.statusCode() < 500) throw new Rejected("HTTP " + e.statusCode() + ": " + message(e));
            throw e;
        }
    }

    /** The SendEmail request for an email: simple content (SES builds the MIME), its headers, tags and configuration set. */
    /** SES v2 DeleteSuppressedDestination; NotFoundException (the address is not on the list) is what we want. */
    @Override
    public void forget(String address) {
        try {
            ses().deleteSuppressedDestination(b -> b.emailAddress(address));
        } catch (NotFoundException notSuppressed) {
            // nothing of the person on the list
        }
    }

    public static SendEmailRequest request(OutgoingEmail email) {
        SendEmailRequest.Builder request = SendEmailRequest.builder()
                .fromEmailAddress(email.from())
                .destination(d -> d.toAddresses(email.to()))
                .content(EmailContent.builder().simple(Message.builder()
                        .subject(Content.builder().data(email.subject()).charset("UTF-8").build())
                        .body(Body.builder().html(Content.builder().data(email.html()).charset("UTF-8").build()).text(Content.builder().data(email.text()).charset("UTF-8").build()).build())
                        .headers(email.headers().stream().map(h -> MessageHeader.builder().name(h.name()).value(h.value()).build()).toList())
                        .build()).build())
                .emailTags(email.tags().entrySet().stream().map(t -> MessageTag.builder().name(t.getKey()).value(tagValue(t.getValue())).build()).toList());
        if (email.replyTo() != null) request.replyToAddresses(List.of(email.replyTo()));
        if (email.configurationSet() != null) request.configurationSetName(email.configurationSet());
        return request.build();
    }

    @Override
    public double maxSendRate() {
        return ses().getAccount(b -> {}).sendQuota().maxSendRate();
    }

    /** SES tag values allow letters, digits, '_', '-', '.', '@': anything else becomes '_'. */
    static String tagValue(String value) {
        return value.replaceAll("[^A-Za-z0-9_.@-]", "_");
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    }
}
