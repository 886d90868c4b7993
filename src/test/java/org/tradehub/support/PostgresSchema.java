package org.tradehub.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A fresh schema of its own on the PostgreSQL server of this machine (127.0.0.1:5432, database test, user postgres,
 * trust auth) for one test class, dropped after it. Register it as a static field:
 * {@code @RegisterExtension static final PostgresSchema PG = new PostgresSchema("hub_test");} and start hubs on it
 * with {@code HubInstance.start(dataDir, PG.hubArgs())}.
 */
public final class PostgresSchema implements BeforeAllCallback, AfterAllCallback {

    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String USER = "postgres";

    private final String name;

    public PostgresSchema(String prefix) {
        this.name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The schema's name (unique per run). */
    public String name() {
        return name;
    }

    /** A JDBC URL whose connections work in this schema. */
    public String url() {
        return SERVER + "?currentSchema=" + name;
    }

    /** The arguments that put a hub (HubInstance) on this schema, its migrations included. */
    public Map<String, Object> hubArgs() {
        return hubArgs(Map.of());
    }

    /** The same, with more arguments for the hub. */
    public Map<String, Object> hubArgs(Map<String, Object> more) {
        Map<String, Object> args = new HashMap<>(Map.of(
                "spring.datasource.url", url(),
                "spring.datasource.username", USER,
                "spring.datasource.password", "",
                "spring.flyway.schemas", name));
        args.putAll(more);
        return args;
    }

    /** Runs the hub's migrations on the schema, for tests that use the database without a hub. */
    public void migrate() {
        Flyway.configure().dataSource(SERVER, USER, "").schemas(name).locations("classpath:db/migration").load().migrate();
    }

    public DataSource dataSource() {
        return new DriverManagerDataSource(url(), USER, "");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        create();
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        drop();
    }

    /** Creates the schema (what beforeAll does, for users outside JUnit: the benchmark). */
    public void create() throws SQLException {
        execute("create schema " + name);
    }

    public void drop() throws SQLException {
        execute("drop schema " + name + " cascade");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, "")) {
            c.createStatement().execute(sql);
        }
    }
}
