package dev.kindling.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * AWS's limits on a file posted to the admin API, which no emulator here enforces: the HTTP API hands a binary body to
 * Lambda base64-encoded inside its event, and Lambda refuses a synchronous invocation over 6 MB. The largest file the
 * API takes must arrive whole.
 */
class ImportAdminApiTest {
    @Test
    void theLargestFileTheApiTakesFitsLambdasInvocationPayloadAsTheHttpApiSendsIt() {
        byte[] file = new byte[ImportAdminApi.MAX_FILE_BYTES];
        // the HTTP API's payload format 2.0 event around it, with generous headers and a long query
        var event = Json.object().put("version", "2.0").put("routeKey", "ANY /admin/{proxy+}").put("rawPath", "/admin/imports")
                .put("rawQueryString", "format=shopify-orders-csv&name=" + "x".repeat(200)).put("isBase64Encoded", true)
                .put("body", Base64.getEncoder().encodeToString(file));
        var headers = event.putObject("headers");
        for (int i = 0; i < 40; i++) headers.put("x-header-" + i, "y".repeat(200));
        int bytes = Json.write(event).getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).isLessThan(ImportAdminApi.LAMBDA_PAYLOAD_BYTES);
        // and the 7 MB it once took would not have arrived
        assertThat(Base64.getEncoder().encodeToString(new byte[7 * 1024 * 1024]).length()).isGreaterThan(ImportAdminApi.LAMBDA_PAYLOAD_BYTES);
    }
}
