package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.contact.Identity;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.ingest.Ingestor;
import dev.kindling.json.Json;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRuntimeOptionsTest {

    @Test
    void portComesFromPortOrTheOptionAndTheOptionWins() {
        assertThat(LocalRuntime.Options.parse(new String[0], Map.of()).port()).isEqualTo(3000);
        assertThat(LocalRuntime.Options.parse(new String[0], Map.of("PORT", "4000")).port()).isEqualTo(4000);
        assertThat(LocalRuntime.Options.parse(new String[] {"--port", "5000"}, Map.of("PORT", "4000")).port()).isEqualTo(5000);
        assertThatThrownBy(() -> LocalRuntime.Options.parse(new String[] {"--prot", "1"}, Map.of()))
                .hasMessageContaining("unknown option --prot");
        assertThatThrownBy(() -> LocalRuntime.Options.parse(new String[] {"--port"}, Map.of())).hasMessageContaining("needs a value");
    }

    @Test
    void aShopsFileAddsShopsBesideTheDemoShop(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shops.yaml");
        Files.writeString(file, """
                shops:
                  - id: acme
                    name: Acme
                    shopifySecret: acme-shopify
                    wooSecret: acme-woo
                    writeKey: acme-key
                    adminToken: acme-admin
                """);
        List<Shop> shops = ShopsFile.load(file);
        ShopDirectory directory = ShopDirectory.of(shops);
        assertThat(directory.byId("demo")).isPresent();
        assertThat(directory.byWriteKey("acme-key").map(Shop::id)).contains("acme");
        assertThat(directory.byAdminToken("acme-admin").map(Shop::id)).contains("acme");
        assertThat(directory.byAdminToken("demo-admin-token").map(Shop::id)).contains("demo");
        assertThat(directory.byAdminToken("acme-admi")).isEmpty();
    }

    @Test
    void aDataFolderKeepsContactsAcrossRestarts(@TempDir Path dir) throws Exception {
        Instant at = Instant.parse("2026-11-22T10:00:00Z");
        CanonicalEvent event = new CanonicalEvent("m-1", EventType.IDENTIFY, null, "u-1", null, "kept@example.com", null,
                Json.object(), null, null, null, at, at, Source.TRACKING, Map.of());
        LocalRuntime.Options options = new LocalRuntime.Options(0, dir.resolve("data"), null, Clock.systemUTC());
        try (LocalRuntime first = new LocalRuntime(options)) {
            new Ingestor(first.services().contacts(), first.bus()).ingest("demo", "tracking:m-1", event);
        }
        try (LocalRuntime second = new LocalRuntime(options)) {
            var found = second.services().contacts().lookup("demo", List.of(Identity.email("kept@example.com")));
            assertThat(found).hasSize(1);
            assertThat(new Ingestor(second.services().contacts(), second.bus()).ingest("demo", "tracking:m-1", event))
                    .isInstanceOf(Ingestor.Outcome.Duplicate.class);
        }
    }
}
