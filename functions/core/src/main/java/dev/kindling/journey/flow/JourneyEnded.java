package dev.kindling.journey.flow;

/**
 * A written journey's end, thrown by its last turn: the interpreter state machine catches it by this class's
 * name (Lambda reports a Java function's error as the exception's class name) and succeeds. Its message is
 * the reason, counted as the journey's exit.
 */
public final class JourneyEnded extends RuntimeException {
    /** The error name the state machine's Catch names. */
    public static final String ERROR = JourneyEnded.class.getName();

    /** The step the person was at when it ended (null at the end of the steps, or where no step is known). */
    private final String step;

    public JourneyEnded(String reason) {
        this(reason, null);
    }

    private JourneyEnded(String reason, String step) {
        super(reason, null, false, false);
        this.step = step;
    }

    public String step() {
        return step;
    }

    /** This end, placed at {@code stepId} unless it already names a step. */
    JourneyEnded at(String stepId) {
        return step != null ? this : new JourneyEnded(getMessage(), stepId);
    }
}
