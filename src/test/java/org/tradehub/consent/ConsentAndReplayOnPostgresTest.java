package org.tradehub.consent;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.ledger.Ledger;
import org.tradehub.replay.DeadLetterStore;
import org.tradehub.support.PostgresSchema;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL of consents, the bank's paged history and the dead-letter shelf on PostgreSQL (the other tests run it on
 * the embedded database), in a schema of its own on the local server.
 */
class ConsentAndReplayOnPostgresTest {

    @RegisterExtension
    static final PostgresSchema PG = new PostgresSchema("consent_test");
    private static JdbcTemplate jdbc;
    private static TransactionTemplate tx;
    private static final Clock CLOCK = Clock.systemUTC();

    @BeforeAll
    static void migrate() {
        PG.migrate();
        DataSource ds = PG.dataSource();
        jdbc = new JdbcTemplate(ds);
        tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
    }

    @Test
    void consentsAccessLogAndPagedHistory() {
        Ledger ledger = new Ledger(jdbc, CLOCK, new ObjectMapper());
        jdbc.update("insert into tenant (id, name, api_key_sha256, created_at) values ('pg-t', 'T', ?, current_timestamp)",
                "x".repeat(64));
        BankDirectory banks = new BankDirectory(jdbc, CLOCK);
        String key = banks.create("pg-bank", "PG Bank");
        assertThat(banks.authenticate("Bearer " + key).id()).isEqualTo("pg-bank");

        Consents consents = new Consents(jdbc, CLOCK);
        Instant now = CLOCK.instant();
        Consent c = consents.grant("pg-t", "pg-bank", now.minusSeconds(1), now.plus(Duration.ofDays(1)),
                List.of("ACCEPTED"), List.of("grandTotal"), null, null, "loan");
        assertThat(c.stateAt(CLOCK.instant())).isEqualTo(Consent.State.ACTIVE);
        assertThat(consents.ofBankAndTenant("pg-bank", "pg-t")).hasSize(1);
        consents.logAccess("pg-bank", "pg-t", c.id(), true, null, "GET /bank/...", "text/csv", 2);
        assertThat(consents.revoke("pg-t", c.id())).isTrue();
        assertThat(consents.revoke("pg-t", c.id())).isFalse();
        assertThat(consents.find("pg-t", c.id()).orElseThrow().stateAt(CLOCK.instant())).isEqualTo(Consent.State.REVOKED);
        assertThat(consents.accesses("pg-t", c.id(), 10)).hasSize(1).first()
                .satisfies(a -> assertThat(a.granted()).isTrue());
        assertThat(consents.accesses("pg-t", null, 10)).hasSize(1);

        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < 3; i++) {
            String raw = ledger.storeDocument("pg-t", null, "order-raw", "in", "application/json", null, new byte[] {1});
            ledger.insertTransaction(new Ledger.NewTransaction(UUID.randomUUID().toString(), "pg-t", "shopify",
                    "shopify-order", null, "o" + i, null, i == 1 ? "REJECTED" : "ACCEPTED", "GBP",
                    new BigDecimal("1.50"), "US", raw, null, t0.plusSeconds(i)));
        }
        List<Ledger.TransactionRecord> first = ledger.page("pg-t", List.of("ACCEPTED"), t0, null, null, null, 1);
        assertThat(first).extracting(Ledger.TransactionRecord::externalId).containsExactly("o0");
        List<Ledger.TransactionRecord> next = ledger.page("pg-t", List.of("ACCEPTED"), t0, t0.plusSeconds(10),
                first.get(0).receivedAt(), first.get(0).id(), 10);
        assertThat(next).extracting(Ledger.TransactionRecord::externalId).containsExactly("o2");
    }

    @Test
    void deadLettersAreParkedOnceClaimedOnceAndResolvedWithAnAuditRow() throws Exception {
        Ledger ledger = new Ledger(jdbc, CLOCK, new ObjectMapper());
        DeadLetterStore store = new DeadLetterStore(jdbc, ledger, new ObjectMapper(), tx);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            for (int delivery = 0; delivery < 2; delivery++) { // a redelivery of the same JMS message
                Exchange exchange = new DefaultExchange(camel);
                exchange.getMessage().setBody("parked body");
                exchange.getMessage().setHeader("JMSMessageID", "ID:pg-1");
                exchange.getMessage().setHeader("hubTenantId", "pg-t2");
                exchange.getMessage().setHeader("hubOriginQueue", "hub.orders.received");
                exchange.getMessage().setHeader("hubFailureReason", "boom");
                store.park(exchange);
            }
        }
        List<DeadLetterStore.DeadLetter> parked = store.list("pg-t2", "PARKED", 10);
        assertThat(parked).hasSize(1);
        DeadLetterStore.DeadLetter d = parked.get(0);
        assertThat(d.bodyBytes()).isEqualTo(11);
        assertThat(d.bodyText()).isTrue();
        assertThat(new String(store.body(d.id()))).isEqualTo("parked body");
        assertThat(store.claim(d.id(), Duration.ofMinutes(1))).isTrue();
        assertThat(store.claim(d.id(), Duration.ofMinutes(1))).isFalse();
        assertThat(store.resolve(d.id(), "REPLAYING", "REPLAYED", "operator", "back")).isTrue();
        assertThat(store.actions(d.id())).extracting(DeadLetterStore.Action::action).containsExactly("REPLAYED");
        assertThat(store.find("someone-else", d.id())).isEmpty();
        assertThat(store.list(null, "REPLAYED", 10)).extracting(DeadLetterStore.DeadLetter::id).contains(d.id());
    }
}
