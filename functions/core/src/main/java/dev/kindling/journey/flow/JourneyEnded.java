package dev.kindling.journey.flow;

/**
 * A written journey's end, thrown by its last turn: the interpreter state machine catches it by this class's
 * name (Lambda reports a Java function's error as the exception's class name) and succeeds. Its message is
 * the reason, counted as the journey's exit.
 */
public final class JourneyEnded extends RuntimeException {
    /** The error name the state machine's Catch names. */
    public static final String ERROR = JourneyEnded.class.getName();

    public JourneyEnded(String reason) {
        super(reason, null, false, false);
    }
}
