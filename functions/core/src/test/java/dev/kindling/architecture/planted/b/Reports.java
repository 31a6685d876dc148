package dev.kindling.architecture.planted.b;

import dev.kindling.architecture.planted.a.Orders;

/** The other half of the planted cycle: b depends on a. */
public final class Reports {
    Orders orders;
}
