package org.tradehub.bench.scenario;

import java.sql.SQLException;
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
        try (HubProcess hub = HubProcess.startInstalled(bench.out(), bench.out().resolve("postgresql"), Map.of(
                "SPRING_DATASOURCE_URL", schema.url(),
                "SPRING_DATASOURCE_USERNAME", PostgresSchema.USER,
                "SPRING_DATASOURCE_PASSWORD", "",
                "SPRING_FLYWAY_SCHEMAS", schema.name()));
             BrokerAdmin broker = new BrokerAdmin(hub.brokerPort)) {
            return super.run(bench.on(hub, broker));
        } finally {
            schema.drop();
        }
    }
}
