package org.tradehub.tenant;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.tradehub.web.BearerToken;
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
        String apiKey = BearerToken.of(authorizationHeader);
        if (apiKey == null) {
            throw HubProblemException.unauthorized("Send your tenant API key as 'Authorization: Bearer <key>'.");
        }
        String hash = sha256Hex(apiKey);
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

    /**
     * Replaces a tenant's API key (a key typed into a shared browser, staff leaving, a leak): the old key stops working
     * on this instance at once and on the others within {@link #CACHE_TTL}. Returns the new key, shown this once.
     */
    public String rotateApiKey(String id) {
        String apiKey = "thk_" + randomToken();
        if (jdbc.update("update tenant set api_key_sha256 = ? where id = ?", sha256Hex(apiKey), id) == 0) {
            throw HubProblemException.notFound("No tenant " + id + ".");
        }
        byKeyHash.values().removeIf(c -> c.value().map(t -> t.id().equals(id)).orElse(false));
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

    /** The firm's identity as exporter and its customs settings; replaces what was there. */
    public record ExporterProfile(String legalName, String eori, String lei, String addressLine, String city,
                                  String postcode, String countryCode, String declarantEori, String badgeIdentifier,
                                  String exitOfficeId, String goodsLocationName, String procedureCode,
                                  String borderTransportModeCode) {}

    /** A catalogue entry: what customs needs of a product that web shop orders do not carry. */
    public record Product(String sku, String hsCode, String originCountry, java.math.BigDecimal netMassKg,
                          String description) {}

    @Transactional
    public void saveExporterProfile(String tenantId, ExporterProfile p) {
        jdbc.update("delete from exporter_profile where tenant_id = ?", tenantId);
        jdbc.update("insert into exporter_profile (tenant_id, legal_name, eori, lei, address_line, city, postcode,"
                        + " country_code, declarant_eori, badge_identifier, exit_office_id, goods_location_name,"
                        + " procedure_code, border_transport_mode_code, updated_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tenantId, p.legalName(), p.eori(), p.lei(), p.addressLine(), p.city(), p.postcode(), p.countryCode(),
                p.declarantEori(), p.badgeIdentifier(), p.exitOfficeId(), p.goodsLocationName(), p.procedureCode(),
                p.borderTransportModeCode(), Timestamp.from(clock.instant()));
    }

    @Transactional
    public void saveProduct(String tenantId, Product p) {
        jdbc.update("delete from product where tenant_id = ? and sku = ?", tenantId, p.sku());
        jdbc.update("insert into product (tenant_id, sku, hs_code, origin_country, net_mass_kg, description, updated_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?)", tenantId, p.sku(), p.hsCode(), p.originCountry(),
                p.netMassKg(), p.description(), Timestamp.from(clock.instant()));
    }

    /** The tenant's exporter profile as last saved, with when. */
    public Optional<Saved<ExporterProfile>> exporterProfile(String tenantId) {
        return jdbc.query("select legal_name, eori, lei, address_line, city, postcode, country_code, declarant_eori,"
                + " badge_identifier, exit_office_id, goods_location_name, procedure_code, border_transport_mode_code,"
                + " updated_at from exporter_profile where tenant_id = ?", (rs, i) -> new Saved<>(new ExporterProfile(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                        rs.getString(11), rs.getString(12), rs.getString(13)), rs.getTimestamp(14).toInstant()),
                tenantId).stream().findFirst();
    }

    /** Up to {@code limit} catalogue entries in SKU order, after the SKU {@code after} (null: from the first). */
    public List<Saved<Product>> products(String tenantId, String after, int limit) {
        return jdbc.query("select sku, hs_code, origin_country, net_mass_kg, description, updated_at from product"
                + " where tenant_id = ? and sku > ? order by sku limit ?", PRODUCT, tenantId, after == null ? "" : after,
                limit);
    }

    public Optional<Saved<Product>> product(String tenantId, String sku) {
        return jdbc.query("select sku, hs_code, origin_country, net_mass_kg, description, updated_at from product"
                + " where tenant_id = ? and sku = ?", PRODUCT, tenantId, sku).stream().findFirst();
    }

    /** Removes a catalogue entry; orders recorded before keep what it filled in. False when there was none. */
    public boolean deleteProduct(String tenantId, String sku) {
        return jdbc.update("delete from product where tenant_id = ? and sku = ?", tenantId, sku) == 1;
    }

    /** Master data as stored, with the moment it was last saved. */
    public record Saved<T>(T value, Instant updatedAt) {}

    private static final org.springframework.jdbc.core.RowMapper<Saved<Product>> PRODUCT = (rs, i) -> new Saved<>(
            new Product(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4), rs.getString(5)),
            rs.getTimestamp(6).toInstant());

    public static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String sha256Hex(String value) {
        return org.tradehub.ledger.Ledger.sha256(value.getBytes(StandardCharsets.UTF_8));
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
