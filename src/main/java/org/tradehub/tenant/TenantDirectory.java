package org.tradehub.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.tradehub.web.HubProblemException;

/**
 * Tenants, their API keys and their webhook secrets. Lookups on the intake path are cached briefly so that a
 * webhook costs no database round trip; a rotation or revocation takes effect within {@link #CACHE_TTL}.
 */
@Component
public class TenantDirectory {

    public static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final Duration CACHE_TTL = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached<List<byte[]>>> secrets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Cached<Optional<Tenant>>> byKeyHash = new ConcurrentHashMap<>();

    public TenantDirectory(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The tenant whose API key this is, or 401. */
    public Tenant authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw HubProblemException.unauthorized("Send your tenant API key as 'Authorization: Bearer <key>'.");
        }
        String hash = sha256Hex(authorizationHeader.substring(7).trim());
        return cached(byKeyHash, hash, () -> jdbc.query(
                        "select id, name from tenant where api_key_sha256 = ?",
                        (rs, i) -> new Tenant(rs.getString(1), rs.getString(2)), hash).stream().findFirst())
                .orElseThrow(() -> HubProblemException.unauthorized("The API key is not valid."));
    }

    /** The secrets that may sign a tenant's webhooks from a platform now: the current one, and during a rotation the old. */
    public List<byte[]> webhookSecrets(String tenantId, String platform) {
        return cached(secrets, tenantId + '\u0000' + platform, () -> jdbc.query(
                "select secret from webhook_secret where tenant_id = ? and platform = ?"
                        + " and (not_after is null or not_after > ?) order by id desc",
                (rs, i) -> rs.getString(1).getBytes(StandardCharsets.UTF_8),
                tenantId, platform, Timestamp.from(clock.instant())));
    }

    /** Creates a tenant; returns its API key, which is shown once and stored only as a hash. */
    @Transactional
    public String create(String id, String name) {
        if (!TENANT_ID.matcher(id).matches()) {
            throw HubProblemException.badRequest("A tenant id is 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit.");
        }
        String apiKey = "thk_" + randomToken();
        int rows = jdbc.update("insert into tenant (id, name, api_key_sha256, created_at) values (?, ?, ?, ?)"
                + " on conflict do nothing", id, name, sha256Hex(apiKey), Timestamp.from(clock.instant()));
        if (rows == 0) {
            throw new HubProblemException(409, "tenant-exists", "Tenant exists", "Tenant '" + id + "' exists already.");
        }
        return apiKey;
    }

    public boolean exists(String id) {
        return !jdbc.queryForList("select id from tenant where id = ?", String.class, id).isEmpty();
    }

    /**
     * Sets a new webhook secret for a platform. The previous secrets stay valid for {@code overlap} (Shopify keeps
     * signing with the old secret for up to an hour after a rotation), then expire.
     */
    @Transactional
    public void rotateWebhookSecret(String tenantId, String platform, String secret, Duration overlap) {
        Instant now = clock.instant();
        jdbc.update("update webhook_secret set not_after = ? where tenant_id = ? and platform = ? and not_after is null",
                Timestamp.from(now.plus(overlap)), tenantId, platform);
        jdbc.update("insert into webhook_secret (tenant_id, platform, secret, created_at) values (?, ?, ?, ?)",
                tenantId, platform, secret, Timestamp.from(now));
        secrets.remove(tenantId + '\u0000' + platform);
    }

    public static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T cached(ConcurrentHashMap<String, Cached<T>> cache, String key, java.util.function.Supplier<T> load) {
        Instant now = clock.instant();
        Cached<T> hit = cache.get(key);
        if (hit != null && hit.expires.isAfter(now)) {
            return hit.value;
        }
        T value = load.get();
        if (cache.size() > 10_000) {
            cache.clear(); // bounded: a flood of made-up keys must not grow memory
        }
        cache.put(key, new Cached<>(value, now.plus(CACHE_TTL)));
        return value;
    }

    private record Cached<T>(T value, Instant expires) {}
}
