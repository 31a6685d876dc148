package dev.kindling.audience;

import dev.kindling.contact.Contact;
import dev.kindling.event.Stored;
import dev.kindling.scoring.ScoreState;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads every contact of a shop with its scores and memberships, one shard at a time, so a refresh
 * can read the shards in parallel. Reads contacts only, never their events.
 */
public interface ContactScan {

    int shards();

    /** Each live profile of the shard (profiles merged into another are skipped). */
    void scan(String shopId, int shard, Consumer<ScannedContact> each);

    record ScannedContact(Contact contact, Stored<ScoreState> scores, Stored<Map<String, Instant>> memberships) {}
}
