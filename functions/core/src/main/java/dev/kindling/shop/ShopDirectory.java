package dev.kindling.shop;

import dev.kindling.event.Trust;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds shops by id, by tracking key (the public write key or the secret server key) and by admin token. Keys are indexed by their SHA-256
 * and the match is confirmed with a constant-time comparison, so a lookup reveals nothing of a key
 * through timing. A directory loaded from a source (SSM on AWS) reloads when its copy is older than
 * its time to live, so rotated secrets take effect without a deploy. A reload that fails (SSM
 * throttled past its retries, a shop's parameter edited into something invalid) leaves the shops
 * loaded last in service and is tried again {@link #RETRY_FAILED_LOAD} later: a webhook is not
 * refused because a secret store was briefly out of reach.
 */
public final class ShopDirectory {
    private record Index(Map<String, Shop> byId, Map<String, Shop> byWriteKeyHash, Map<String, Shop> byServerKeyHash,
                         Map<String, AdminAccess> byAdminTokenHash, Instant staleAt) {
        Index staleFrom(Instant at) {
            return new Index(byId, byWriteKeyHash, byServerKeyHash, byAdminTokenHash, at);
        }
    }

    static final Duration RETRY_FAILED_LOAD = Duration.ofSeconds(30);

    /** A shop's tracking key, and so how far the calls made with it are believed. */
    public record TrackingAccess(Shop shop, Trust trust) {}

    /** Who an admin token is: its shop, its id (for the audit log) and its role. */
    public record AdminAccess(Shop shop, String tokenId, Shop.Role role) {}

    private final Supplier<List<Shop>> source;
    private final Duration timeToLive;
    private final Clock clock;
    private volatile Index index;

    private ShopDirectory(Supplier<List<Shop>> source, Duration timeToLive, Clock clock) {
        this.source = source;
        this.timeToLive = timeToLive;
        this.clock = clock;
        // loaded on first use, not here: a function that never looks a shop up (scoring, segments, the catalog) never
        // reads the shops' parameters, and needs no permission to
    }

    public static ShopDirectory of(List<Shop> shops) {
        return new ShopDirectory(() -> shops, Duration.ofDays(36500), Clock.systemUTC());
    }

    public static ShopDirectory refreshing(Supplier<List<Shop>> source, Duration timeToLive, Clock clock) {
        return new ShopDirectory(source, timeToLive, clock);
    }

    public Optional<Shop> byId(String id) {
        return Optional.ofNullable(id == null ? null : current().byId().get(id));
    }

    public Optional<Shop> byWriteKey(String writeKey) {
        return find(current().byWriteKeyHash(), writeKey, Shop::writeKey);
    }

    /** The shop of a tracking key: its public write key (a claim) or its secret server key (authority). */
    public Optional<TrackingAccess> byTrackingKey(String key) {
        Optional<Shop> server = find(current().byServerKeyHash(), key, Shop::serverKey);
        if (server.isPresent()) return Optional.of(new TrackingAccess(server.get(), Trust.AUTHORITY));
        return byWriteKey(key).map(shop -> new TrackingAccess(shop, Trust.CLAIM));
    }

    /**
     * The shop, token id and role of an admin token. Tokens are indexed by their SHA-256, which is all a shop's
     * record keeps of them; the hash presented is confirmed against the stored one in constant time.
     */
    public Optional<AdminAccess> byAdminToken(String token) {
        if (token == null || token.isEmpty()) return Optional.empty();
        String hash = Signatures.sha256Hex(token);
        AdminAccess access = current().byAdminTokenHash().get(hash);
        if (access == null) return Optional.empty();
        String stored = access.tokenId() == null ? Signatures.sha256Hex(access.shop().adminToken()) : access.shop().adminTokens().stream()
                .filter(t -> t.id().equals(access.tokenId())).map(Shop.AdminToken::sha256).findFirst().orElse("");
        return MessageDigest.isEqual(stored.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
                ? Optional.of(access) : Optional.empty();
    }

    /** Every shop's id. */
    public Set<String> ids() {
        return current().byId().keySet();
    }

    public int size() {
        return current().byId().size();
    }

    private Index current() {
        Index now = index;
        if (now != null && now.staleAt().isAfter(clock.instant())) return now;
        synchronized (this) {
            if (index != now) return index;
            try {
                index = build(source.get(), clock.instant().plus(timeToLive));
            } catch (RuntimeException failed) {
                if (now == null) throw failed; // nothing loaded yet: nothing to serve instead
                System.err.println("shops: reload failed, serving the " + now.byId().size() + " shops loaded before, trying again in "
                        + RETRY_FAILED_LOAD.toSeconds() + " s: " + failed.getMessage());
                index = now.staleFrom(clock.instant().plus(RETRY_FAILED_LOAD));
            }
            return index;
        }
    }

    private static Index build(List<Shop> shops, Instant staleAt) {
        Map<String, Shop> byId = new HashMap<>();
        Map<String, Shop> byWriteKey = new HashMap<>();
        Map<String, Shop> byServerKey = new HashMap<>();
        Map<String, AdminAccess> byAdminToken = new HashMap<>();
        for (Shop shop : shops) {
            if (shop.id() == null || !shop.id().matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("shop id must be 1-64 letters, digits, '-' or '_': " + shop.id());
            }
            if (shop.purgeInactiveMonths() != null && (shop.purgeInactiveMonths() < 1 || shop.purgeInactiveMonths() > Shop.MAX_PURGE_MONTHS)) {
                throw new IllegalArgumentException("shop " + shop.id() + ": purgeInactiveMonths must be 1 to " + Shop.MAX_PURGE_MONTHS
                        + " (leave it out to keep inactive people)");
            }
            byId.put(shop.id(), shop);
            if (shop.writeKey() != null) byWriteKey.put(Signatures.sha256Hex(shop.writeKey()), shop);
            if (shop.serverKey() != null) {
                if (shop.serverKey().length() < 32 || shop.serverKey().equals(shop.writeKey())) {
                    throw new IllegalArgumentException("shop " + shop.id() + ": serverKey must be 32 or more characters, and not the public writeKey");
                }
                byServerKey.put(Signatures.sha256Hex(shop.serverKey()), shop);
            }
            if (shop.adminToken() != null) byAdminToken.put(Signatures.sha256Hex(shop.adminToken()), new AdminAccess(shop, null, Shop.Role.write));
            for (Shop.AdminToken token : shop.adminTokens()) {
                if (token.id() == null || token.role() == null || token.sha256() == null || !token.sha256().matches("[0-9a-fA-F]{64}")) {
                    throw new IllegalArgumentException("shop " + shop.id() + ": every admin token needs an id, a role (read or write) and a 64-hex sha256");
                }
                byAdminToken.put(token.sha256().toLowerCase(Locale.ROOT), new AdminAccess(shop, token.id(), token.role()));
            }
        }
        return new Index(Map.copyOf(byId), Map.copyOf(byWriteKey), Map.copyOf(byServerKey), Map.copyOf(byAdminToken), staleAt);
    }

    private static Optional<Shop> find(Map<String, Shop> index, String presented, Function<Shop, String> secret) {
        if (presented == null || presented.isEmpty()) return Optional.empty();
        Shop shop = index.get(Signatures.sha256Hex(presented));
        if (shop == null) return Optional.empty();
        boolean same = MessageDigest.isEqual(secret.apply(shop).getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
        return same ? Optional.of(shop) : Optional.empty();
    }
}
