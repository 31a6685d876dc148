package dev.kindling.journey.asl;

/** An error as States Language names it (States.TaskFailed, States.Runtime, a task's own error name), with its cause. */
public final class AslError extends RuntimeException {
    private final String error;
    private final String cause;

    public AslError(String error, String cause) {
        super(error + ": " + cause, null, false, false);
        this.error = error;
        this.cause = cause;
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }
}
