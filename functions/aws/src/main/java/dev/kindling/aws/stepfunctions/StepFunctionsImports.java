package dev.kindling.aws.stepfunctions;

import dev.kindling.imports.ImportObjects;
import dev.kindling.imports.ImportRunner;
import dev.kindling.imports.ImportStatus;
import dev.kindling.imports.ImportSteps;
import dev.kindling.json.Json;
import dev.kindling.lazy.Lazy;
import dev.kindling.shop.Shop;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * {@link ImportRunner} on AWS: the posted file goes to the imports bucket, and the import state machine (a Distributed
 * Map over the import's batches) starts, named after the shop and the import, so a repeat of the request starts nothing
 * twice.
 */
public final class StepFunctionsImports implements ImportRunner {
    private final Lazy<SfnClient> client;
    private final String stateMachineArn;
    private final ImportObjects objects;

    public StepFunctionsImports(Supplier<SfnClient> client, String stateMachineArn, ImportObjects objects) {
        this.client = Lazy.of(client);
        this.stateMachineArn = stateMachineArn;
        this.objects = objects;
    }

    @Override
    public void start(Shop shop, ImportStatus status, byte[] file, String uploadKey) {
        if (stateMachineArn == null || objects == null) {
            throw new IllegalStateException("IMPORT_STATE_MACHINE_ARN and IMPORTS_BUCKET are not set: only AdminFunction starts imports");
        }
        String source = uploadKey != null ? uploadKey : file != null ? ImportSteps.sourceKey(shop.id(), status.id()) : "";
        if (file != null) objects.put(source, file);
        String input = Json.write(Json.object().put("shopId", shop.id()).put("importId", status.id()).put("format", status.format().wireName())
                .put("source", source));
        String name = (shop.id() + "-" + status.id());
        client.get().startExecution(b -> b.stateMachineArn(stateMachineArn).name(name.length() > 80 ? name.substring(name.length() - 80) : name).input(input));
    }
}
