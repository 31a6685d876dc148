package dev.kindling.event;

import java.util.List;

/**
 * A piece of state as stored, at its version, with the bus events its last change produced that
 * have not been confirmed as published. The events are written with the change (a transactional
 * outbox): a crash between the write and the publish leaves them here, and the next reader sends them.
 */
public record Stored<T>(T value, long version, List<BusEvent> pending) {}
