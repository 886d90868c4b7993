package org.tradehub.ledger;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.HubApplication;

/**
 * The child JVM of {@link EmbeddedLedgerGracefulStopTest}: starts the hub with the given arguments and sends one
 * exchange through a route that writes a row through the hub's own data source and commits it only after a pause, as
 * a stage holds its database transaction while it works. It says on standard output that the exchange is in flight
 * and waits to be stopped (SIGTERM), as a replica is in a rolling restart.
 */
public final class StopsWhileWriting {

    static final String TENANT = "stopped";
    static final String KEY = "written-while-stopping";
    /** Long enough for the test to ask the JVM to stop while the exchange waits. */
    static final long PAUSE_MS = 3000;

    public static void main(String[] args) throws Exception {
        try {
            ConfigurableApplicationContext hub = SpringApplication.run(HubApplication.class, args);
            JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
            TransactionTemplate tx = hub.getBean(TransactionTemplate.class);
            CamelContext camel = hub.getBean(CamelContext.class);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:write-after-pause").routeId("write-after-pause")
                            .process(e -> tx.executeWithoutResult(s -> {
                                jdbc.update("insert into dedupe_key (tenant_id, dedupe_key, created_at)"
                                        + " values (?, ?, current_timestamp)", TENANT, KEY);
                                pause();
                            }));
                }
            });
            camel.getRouteController().startRoute("write-after-pause");
            camel.createProducerTemplate().asyncRequestBody("direct:write-after-pause", "");
            System.out.println("IN FLIGHT");
            System.out.flush();
        } catch (Throwable e) {
            e.printStackTrace();
            Runtime.getRuntime().halt(1); // the hub's threads would keep the JVM alive until the test gives up
        }
        Thread.currentThread().join(); // until stopped
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
