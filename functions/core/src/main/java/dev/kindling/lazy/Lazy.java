package dev.kindling.lazy;

import java.util.function.Supplier;

/**
 * A value built on first use, once, whichever thread asks first. The functions share one wiring
 * but each uses a few of its parts: what a function never touches (an SDK client, a service and
 * the classes behind it) is never built, and never paid for in its cold start.
 */
public final class Lazy<T> implements Supplier<T> {
    private final Supplier<? extends T> factory;
    private volatile T value;

    private Lazy(Supplier<? extends T> factory) {
        this.factory = factory;
    }

    public static <T> Lazy<T> of(Supplier<? extends T> factory) {
        return new Lazy<>(factory);
    }

    @Override
    public T get() {
        T built = value;
        if (built == null) {
            synchronized (this) {
                built = value;
                if (built == null) {
                    built = factory.get();
                    value = built;
                }
            }
        }
        return built;
    }
}
