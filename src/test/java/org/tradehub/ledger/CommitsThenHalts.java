package org.tradehub.ledger;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tradehub.HubApplication;

/**
 * The child JVM of {@link EmbeddedLedgerSurvivesKillTest}: starts the hub with the given arguments and sends
 * {@code COMMITS} exchanges one by one through a route that commits one row each through the hub's own data source,
 * as a stage commits before its consumer acknowledges. Then it says so on standard output and halts at once, as a JVM
 * killed by the kernel would: no shutdown hook, no close.
 */
public final class CommitsThenHalts {

    /** Sent in well under H2's 500 ms write delay when nothing waits: without the durability, most are lost. */
    static final int COMMITS = 300;
    static final String TENANT = "halted";

    public static void main(String[] args) {
        try {
            commitThenHalt(args);
        } catch (Throwable e) {
            e.printStackTrace();
            Runtime.getRuntime().halt(1); // the hub's threads would keep the JVM alive until the test gives up
        }
    }

    private static void commitThenHalt(String[] args) throws Exception {
        ConfigurableApplicationContext hub = SpringApplication.run(HubApplication.class, args);
        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
        CamelContext camel = hub.getBean(CamelContext.class);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:commit-one").routeId("commit-one").process(e -> jdbc.update(
                        "insert into dedupe_key (tenant_id, dedupe_key, created_at) values (?, ?, current_timestamp)",
                        TENANT, "commit-" + e.getMessage().getBody(Integer.class)));
            }
        });
        // the supervising route controller starts added routes in the background
        camel.getRouteController().startRoute("commit-one");
        ProducerTemplate producer = camel.createProducerTemplate();
        for (int i = 0; i < COMMITS; i++) {
            // request-reply: returns once the route is done, as a JMS consumer's commit or an HTTP answer follows
            producer.requestBody("direct:commit-one", i);
        }
        System.out.println("COMMITTED " + COMMITS);
        System.out.flush();
        Runtime.getRuntime().halt(137);
    }
}
