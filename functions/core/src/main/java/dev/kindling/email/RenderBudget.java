package dev.kindling.email;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import liqp.TemplateContext;

/**
 * The bounds of the render running on this thread (liqp renders in the caller's thread): its CPU time, measured
 * with the thread's own clock so a busy machine does not cut a render short, and whether the part being rendered is
 * HTML. Checked where a template spends its time or builds values: every escaped output, {@code assign},
 * {@code capture}. A bound passed ends the render with an {@link IllegalArgumentException}, which the library turns
 * into a {@link TemplateError} naming the part, as it does liqp's own limits.
 */
final class RenderBudget {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private record State(long deadlineCpuNanos, boolean html) {}

    private static final ThreadLocal<State> CURRENT = new ThreadLocal<>();

    private RenderBudget() {}

    static void start(Duration cpu) {
        CURRENT.set(new State(cpuNanos() + cpu.toNanos(), false));
    }

    static void end() {
        CURRENT.remove();
    }

    static void inHtml(boolean html) {
        State state = CURRENT.get();
        if (state != null) CURRENT.set(new State(state.deadlineCpuNanos(), html));
    }

    static boolean htmlPart() {
        State state = CURRENT.get();
        return state != null && state.html();
    }

    static void check() {
        State state = CURRENT.get();
        if (state != null && cpuNanos() > state.deadlineCpuNanos()) {
            throw new IllegalArgumentException("the render took more than " + TemplateLibrary.MAX_RENDER_CPU.toMillis()
                    + " ms of CPU and was stopped");
        }
    }

    /** The variable a tag just stored, measured against {@link TemplateLibrary#MAX_ASSIGNED_CHARS}. */
    static void measure(String variable, TemplateContext context) {
        Object value = context.get(variable);
        long size = switch (value) {
            case CharSequence text -> text.length();
            case Collection<?> list -> list.size();
            case Map<?, ?> map -> map.size();
            case Object[] array -> array.length;
            case null, default -> 0;
        };
        if (size > TemplateLibrary.MAX_ASSIGNED_CHARS) {
            throw new IllegalArgumentException("'" + variable + "' grew to " + size + " characters; a template may build at most "
                    + TemplateLibrary.MAX_ASSIGNED_CHARS);
        }
    }

    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }
}
