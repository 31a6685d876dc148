package dev.kindling.architecture.planted.a;

import dev.kindling.architecture.planted.b.Reports;

/** Half of a cycle planted for {@code ArchitectureTest} to catch: a depends on b. */
public final class Orders {
    Reports reports;
}
