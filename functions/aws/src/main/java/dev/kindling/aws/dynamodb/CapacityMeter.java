package dev.kindling.aws.dynamodb;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/** Adds up the requests made and the capacity units DynamoDB reports consuming, so cost can be measured per event. */
public final class CapacityMeter {
    private final LongAdder requests = new LongAdder();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();

    void record(ConsumedCapacity capacity) {
        requests.increment();
        if (capacity == null) return;
        if (capacity.readCapacityUnits() != null) readUnits.add(capacity.readCapacityUnits());
        if (capacity.writeCapacityUnits() != null) writeUnits.add(capacity.writeCapacityUnits());
        if (capacity.readCapacityUnits() == null && capacity.writeCapacityUnits() == null && capacity.capacityUnits() != null) {
            readUnits.add(capacity.capacityUnits()); // only the total was reported: a read
        }
    }

    void record(Iterable<ConsumedCapacity> capacities) {
        requests.increment();
        if (capacities == null) return;
        for (ConsumedCapacity c : capacities) {
            if (c.readCapacityUnits() != null) readUnits.add(c.readCapacityUnits());
            if (c.writeCapacityUnits() != null) writeUnits.add(c.writeCapacityUnits());
        }
    }

    public record Snapshot(long requests, double readUnits, double writeUnits) {
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(requests - earlier.requests, readUnits - earlier.readUnits, writeUnits - earlier.writeUnits);
        }
    }

    public Snapshot snapshot() {
        return new Snapshot(requests.sum(), readUnits.sum(), writeUnits.sum());
    }
}
