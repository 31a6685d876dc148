package dev.kindling.local;

import dev.kindling.send.EmailSender;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault no engine here produces on demand, for the kill-and-restart tests: the runtime's process dies (as by SIGKILL: no
 * shutdown hook, nothing flushed) at the exact point a crash loses most, between claiming the {@code n}th email in the
 * message log and handing it to the outbox. Set with {@code -Dkindling.local.haltBeforeEmail=n}; never on otherwise.
 */
final class HaltBeforeSend implements EmailSender {
    static final String PROPERTY = "kindling.local.haltBeforeEmail";
    /** What the process prints as it halts, followed by the message id, so the test knows which email it cut off. */
    static final String HALTING = "halting before sending ";

    private final EmailSender next;
    private final int n;
    private final AtomicInteger sends = new AtomicInteger();

    HaltBeforeSend(EmailSender next, int n) {
        this.next = next;
        this.n = n;
    }

    /** The sender, halting before its nth email when the property asks for it. */
    static EmailSender wrapIfAsked(EmailSender sender) {
        Integer n = Integer.getInteger(PROPERTY);
        return n == null ? sender : new HaltBeforeSend(sender, n);
    }

    @Override
    public String send(OutgoingEmail email) {
        if (sends.incrementAndGet() == n) {
            System.out.println(HALTING + email.messageId());
            System.out.flush();
            Runtime.getRuntime().halt(137);
        }
        return next.send(email);
    }

    @Override
    public Optional<String> accepted(String messageId) {
        return next.accepted(messageId);
    }

    @Override
    public double maxSendRate() {
        return next.maxSendRate();
    }

    @Override
    public void forget(String address) {
        next.forget(address);
    }
}
