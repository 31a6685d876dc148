package dev.kindling.local;

/**
 * The size the slow suites run at. {@code bin/test} runs them at full size; {@code bin/test --fast}
 * ({@code -Dkindling.fast=true}) runs each once at a small size, so no tier goes untested in a fast run. The slow suites
 * carry JUnit's {@code @Tag("slow")}, so {@code -Dgroups=slow} runs just them.
 */
final class TestSize {
    private TestSize() {}

    static boolean fast() {
        return Boolean.getBoolean("kindling.fast");
    }

    /** {@code full} in a whole run, {@code small} in a fast one. */
    static int of(int full, int small) {
        return fast() ? small : full;
    }
}
