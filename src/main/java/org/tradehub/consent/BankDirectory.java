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

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public BankDirectory(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
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
        String apiKey = BearerToken.of(authorizationHeader);
        if (apiKey == null) {
            throw HubProblemException.unauthorized("Send your bank API key as 'Authorization: Bearer <key>'.");
        }
        return jdbc.query("select id, name from bank where api_key_sha256 = ?",
                        (rs, i) -> new Bank(rs.getString(1), rs.getString(2)), TenantDirectory.sha256Hex(apiKey))
                .stream().findFirst()
                .orElseThrow(() -> HubProblemException.unauthorized("The API key is not valid."));
    }

    public Optional<Bank> find(String id) {
        return jdbc.query("select id, name from bank where id = ?", (rs, i) -> new Bank(rs.getString(1),
                rs.getString(2)), id).stream().findFirst();
    }

    public List<Bank> all() {
        return jdbc.query("select id, name from bank order by id", (rs, i) -> new Bank(rs.getString(1), rs.getString(2)));
    }
}
