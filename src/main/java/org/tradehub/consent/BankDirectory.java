package org.tradehub.consent;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.web.BearerToken;
import org.tradehub.web.HubProblemException;

/**
 * Banks (and other lenders) registered by the operator, each with its own API key, stored only as a SHA-256 hash
 * like a tenant's. A bank key opens nothing but /bank, and there only what a tenant's consent allows.
 */
@Component
public class BankDirectory {

    private static final org.slf4j.Logger SECURITY = org.slf4j.LoggerFactory.getLogger("org.tradehub.security.bank-api");

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final io.micrometer.core.instrument.Counter failures;

    /** Without the hub's metrics (tools and tests that build the directory by hand). */
    public BankDirectory(JdbcTemplate jdbc, Clock clock) {
        this(jdbc, clock, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    @org.springframework.beans.factory.annotation.Autowired
    public BankDirectory(JdbcTemplate jdbc, Clock clock, io.micrometer.core.instrument.MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.failures = io.micrometer.core.instrument.Counter.builder("hub.bank.auth.failures")
                .description("Bank API requests refused for a missing or unknown API key").register(meters);
    }

    public record Bank(String id, String name) {}

    /** Registers a bank; returns its API key, which is shown once. */
    public String create(String id, String name) {
        if (!TenantDirectory.TENANT_ID.matcher(id).matches()) {
            throw HubProblemException.badRequest("A bank id is 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit.");
        }
        if (name.length() > 200) {
            throw HubProblemException.badRequest("A bank name has at most 200 characters.");
        }
        String apiKey = "thb_" + TenantDirectory.randomToken();
        int rows = jdbc.update("insert into bank (id, name, api_key_sha256, created_at) values (?, ?, ?, ?)"
                + " on conflict do nothing", id, name, TenantDirectory.sha256Hex(apiKey), Timestamp.from(clock.instant()));
        if (rows == 0) {
            throw new HubProblemException(409, "bank-exists", "Bank exists", "Bank '" + id + "' exists already.");
        }
        return apiKey;
    }

    /** Replaces a bank's API key (a leaked key, staff leaving): the old key stops working at once. */
    public String rotateKey(String id) {
        String apiKey = "thb_" + TenantDirectory.randomToken();
        if (jdbc.update("update bank set api_key_sha256 = ? where id = ?", TenantDirectory.sha256Hex(apiKey), id) == 0) {
            throw HubProblemException.notFound("No bank " + id + ".");
        }
        return apiKey;
    }

    /** The bank whose API key this is, or 401 (the same answer for a missing, malformed or unknown key). */
    public Bank authenticate(String authorizationHeader) {
        return authenticate(authorizationHeader, null);
    }

    /**
     * As {@link #authenticate(String)}; a refused key is also reported for the operator (WARN on the logger
     * {@code org.tradehub.security.bank-api} and the metric {@code hub.bank.auth.failures}), never in any tenant's
     * access log: nobody knows whose data a wrong key was after, and a tenant must not see other callers' probes.
     * Only a short fingerprint of the presented key is logged, never the key.
     */
    public Bank authenticate(String authorizationHeader, String request) {
        String apiKey = BearerToken.of(authorizationHeader);
        if (apiKey == null) {
            refused(request, "no bearer key", null);
            throw HubProblemException.unauthorized("Send your bank API key as 'Authorization: Bearer <key>'.");
        }
        String hash = TenantDirectory.sha256Hex(apiKey);
        return jdbc.query("select id, name from bank where api_key_sha256 = ?",
                        (rs, i) -> new Bank(rs.getString(1), rs.getString(2)), hash)
                .stream().findFirst()
                .orElseThrow(() -> {
                    refused(request, "unknown key", hash.substring(0, 12));
                    return HubProblemException.unauthorized("The API key is not valid.");
                });
    }

    private void refused(String request, String why, String fingerprint) {
        failures.increment();
        SECURITY.warn("Bank API request refused ({}{}): {}", why, fingerprint == null ? ""
                : ", key sha256 " + fingerprint + "...", request == null ? "(request not named)" : request);
    }

    public Optional<Bank> find(String id) {
        return jdbc.query("select id, name from bank where id = ?", (rs, i) -> new Bank(rs.getString(1),
                rs.getString(2)), id).stream().findFirst();
    }

    public List<Bank> all() {
        return jdbc.query("select id, name from bank order by id", (rs, i) -> new Bank(rs.getString(1), rs.getString(2)));
    }
}
