package org.tradehub.bench.scenario;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tradehub.bench.Bench;
import org.tradehub.bench.BrokerAdmin;
import org.tradehub.bench.HubProcess;
import org.tradehub.bench.Result;
import org.tradehub.support.PostgresSchema;

/**
 * End to end as {@link EndToEndScenario}, on a second hub whose ledger is PostgreSQL, the production database (a fresh
 * schema on the server at 127.0.0.1:5432, dropped afterwards), so the report shows the production path beside the
 * embedded default. The broker stays embedded: production's is a separate Artemis with the same synced journal.
 * The first hub stays up, idle, meanwhile.
 */
public class EndToEndPostgresScenario extends EndToEndScenario {

    @Override
    public String id() {
        return "end-to-end-postgresql";
    }

    @Override
    public int order() {
        return 31;
    }

    @Override
    protected String database() {
        return "PostgreSQL";
    }

    @Override
    public List<Result> run(Bench bench) throws Exception {
        PostgresSchema schema = new PostgresSchema("bench_e2e");
        try {
            schema.create();
        } catch (SQLException unreachable) {
            return List.of(new Result(id(), "End to end on PostgreSQL: not run", Double.NaN, "orders/s", Double.NaN,
                    "", ">= 500/s sustained for 60 s", false, Double.NaN, true,
                    "no PostgreSQL at " + PostgresSchema.SERVER + " (" + unreachable.getMessage() + ")", Map.of()));
        }
        try (HubProcess hub = HubProcess.startInstalled(bench.repo(), bench.out(), bench.out().resolve("postgresql"), Map.of(
                "SPRING_DATASOURCE_URL", schema.url(),
                "SPRING_DATASOURCE_USERNAME", PostgresSchema.USER,
                "SPRING_DATASOURCE_PASSWORD", "",
                "SPRING_FLYWAY_SCHEMAS", schema.name()));
             BrokerAdmin broker = new BrokerAdmin(hub.brokerPort)) {
            List<Result> results = super.run(bench.on(hub, broker));
            Thread.sleep(1500); // PostgreSQL publishes a backend's table statistics at most once a second
            return results.stream().map(r -> withTableStatistics(r, schema)).toList();
        } finally {
            schema.drop();
        }
    }

    /**
     * The schema's table statistics since it was created (onboarding, warm-up and window), into the raw figures:
     * rows inserted and updated, and scans, per table. A sequential scan of a table that grows with the orders is a
     * missing index that the embedded database may hide.
     */
    private static Result withTableStatistics(Result r, PostgresSchema schema) {
        Map<String, Object> raw = new LinkedHashMap<>(r.raw());
        try (Connection c = schema.dataSource().getConnection();
             PreparedStatement q = c.prepareStatement("select relname, seq_scan, seq_tup_read, idx_scan,"
                     + " n_tup_ins, n_tup_upd from pg_stat_user_tables where schemaname = ? order by relname")) {
            q.setString(1, schema.name());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String t = "pg." + rs.getString(1) + ".";
                    raw.put(t + "seqScans", rs.getLong(2));
                    raw.put(t + "seqRowsRead", rs.getLong(3));
                    raw.put(t + "indexScans", rs.getLong(4));
                    raw.put(t + "inserted", rs.getLong(5));
                    raw.put(t + "updated", rs.getLong(6));
                }
            }
        } catch (SQLException e) {
            raw.put("pg.statistics", "unavailable: " + e.getMessage());
        }
        return new Result(r.id(), r.title(), r.figure(), r.unit(), r.baseline(), r.baselineWhat(), r.target(),
                r.targetMet(), r.guardRatio(), r.guardMet(), r.limit(), raw);
    }
}
