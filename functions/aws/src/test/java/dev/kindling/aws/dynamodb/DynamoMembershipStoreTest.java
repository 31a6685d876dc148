package dev.kindling.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.segment.MembershipStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A deleted segment's drop against DynamoDB Local: it takes the members from before the delete and keeps those who entered a segment made again since. */
class DynamoMembershipStoreTest {
    static final Instant DELETED = Instant.parse("2026-11-22T12:00:00Z");
    @RegisterExtension
    static final LocalTable db = new LocalTable();
    static DynamoMembershipStore store;

    @BeforeAll
    static void start() {
        store = new DynamoMembershipStore(db.table());
    }

    @Test
    void theDropTakesOnlyTheMembersFromBeforeTheDelete() {
        // 40 contacts, so every shard holds some; the even ones entered again after the delete (the new segment's backfill)
        for (int i = 0; i < 40; i++) {
            Instant since = i % 2 == 0 ? DELETED.plusMillis(1500) : DELETED.minus(Duration.ofDays(3)).plusMillis(i);
            assertThat(store.commit("demo", "c-" + i, 0, Map.of("vip", since), List.of("vip"), List.of(), List.of())).isTrue();
        }
        assertThat(store.dropMembers("demo", "vip", DELETED)).isEqualTo(20);
        List<String> left = new ArrayList<>();
        MembershipStore.Page page = store.members("demo", "vip", null, 1000);
        page.members().forEach(m -> left.add(m.contactId()));
        assertThat(page.next()).isNull();
        assertThat(left).hasSize(20).allMatch(id -> Integer.parseInt(id.substring(2)) % 2 == 0);
        assertThat(store.dropMembers("demo", "vip", DELETED)).as("run again").isZero();
    }
}
