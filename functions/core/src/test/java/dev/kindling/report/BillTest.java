package dev.kindling.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BillTest {

    @Test
    void eachLineIsWhatTheOperationsUsedAtTheListPrice() {
        var prices = Json.read("""
                {"lambdaRequest": 0.0000002, "lambdaGbSecond": 0.0000133334, "dynamodbWriteRequestUnit": 0.000000625, "dynamodbReadRequestUnit": 0.000000125,
                 "eventBridgeEvent": 0.000001, "stepFunctionsTransition": 0.000025, "schedulerInvocation": 0.000001, "sesMessage": 0.0001, "httpApiRequest": 0.000001}""",
                JsonNode.class);
        var units = Json.read("""
                {"memoryGb": 1.0,
                 "event": {"lambdaInvocations": 5, "lambdaMs": 100, "readUnits": 10, "writeUnits": 16, "busEvents": 2, "httpRequests": 1},
                 "email": {"lambdaInvocations": 1, "lambdaMs": 20, "readUnits": 8, "writeUnits": 12, "sesMessages": 1},
                 "journeyEntry": {"transitions": 4}}""", com.fasterxml.jackson.databind.JsonNode.class);
        Bill bill = new Bill(null, null, prices, units);
        Map<String, Long> counted = new LinkedHashMap<>();
        counted.put("event", 3_000_000L);
        counted.put("email", 1_000_000L);
        counted.put("journeyEntry", 300_000L);
        Map<String, Double> usd = new LinkedHashMap<>();
        bill.lines(counted).forEach(l -> usd.put(l.service() + ": " + l.what(), l.usd()));
        assertThat(usd.get("SES: emails")).isCloseTo(100.0, within(1e-9));
        assertThat(usd.get("Lambda: requests")).isCloseTo((15_000_000 + 1_000_000) * 0.0000002, within(1e-9));
        assertThat(usd.get("Lambda: compute (1.0 GB, arm64)")).isCloseTo((300_000 + 20_000) * 0.0000133334, within(1e-6));
        assertThat(usd.get("DynamoDB: write request units")).isCloseTo(60_000_000 * 0.000000625, within(1e-9));
        assertThat(usd.get("Step Functions: state transitions")).isCloseTo(1_200_000 * 0.000025, within(1e-9));
        assertThat(usd.get("API Gateway: HTTP API requests")).isCloseTo(3.0, within(1e-9));
    }
}
