package dev.kindling.aws.dynamodb;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kindling.event.BusEvent;
import dev.kindling.event.Stored;
import dev.kindling.scoring.ScoreState;
import dev.kindling.scoring.ScoreStore;
import java.util.List;

/** {@link ScoreStore} as one item per contact beside its profile (see {@link KindlingTable}). */
public final class DynamoScoreStore implements ScoreStore {
    static final String SK = "SCORE";

    private final MeteredTable table;
    final ContactStateItems<ScoreState> items;

    public DynamoScoreStore(MeteredTable table) {
        this.table = table;
        this.items = new ContactStateItems<>(table, SK, new TypeReference<>() {}, ScoreState.EMPTY);
    }

    @Override
    public Stored<ScoreState> scores(String shopId, String contactId) {
        return items.read(shopId, contactId);
    }

    @Override
    public boolean commit(String shopId, String contactId, ScoreState next, long expectedVersion, List<BusEvent> pending) {
        return table.putIf(items.put(shopId, contactId, next, expectedVersion, pending));
    }

    @Override
    public void published(String shopId, String contactId, long version) {
        items.published(shopId, contactId, version);
    }
}
