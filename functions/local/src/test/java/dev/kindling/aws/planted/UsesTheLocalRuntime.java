package dev.kindling.aws.planted;

import dev.kindling.local.LocalRuntime;

/** An adapter that reaches up into the local runtime, planted for {@code ModuleLayersTest} to catch. */
public final class UsesTheLocalRuntime {
    LocalRuntime runtime;
}
