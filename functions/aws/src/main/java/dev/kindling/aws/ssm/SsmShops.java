package dev.kindling.aws.ssm;

import dev.kindling.json.Json;
import dev.kindling.shop.Shop;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * Reads the shops from SSM Parameter Store: one SecureString parameter per shop under a path
 * (e.g. {@code /kindling/prod/shops/demo}) whose value is the shop's JSON. Secrets stay out of the
 * template and the code; the functions may read only this path.
 */
public final class SsmShops implements Supplier<List<Shop>> {
    private final SsmClient ssm;
    private final String path;

    public SsmShops(SsmClient ssm, String path) {
        this.ssm = ssm;
        this.path = path;
    }

    @Override
    public List<Shop> get() {
        List<Shop> shops = new ArrayList<>();
        var pages = ssm.getParametersByPathPaginator(b -> b.path(path).recursive(true).withDecryption(true));
        for (var page : pages) {
            for (Parameter parameter : page.parameters()) shops.add(Json.read(parameter.value(), Shop.class));
        }
        return shops;
    }
}
