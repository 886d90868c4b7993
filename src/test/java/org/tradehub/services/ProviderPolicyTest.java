package org.tradehub.services;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.tradehub.ledger.Ledger;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tradehub.services.ServicePlanEndToEndTest.admin;
import static org.tradehub.services.ServicePlanEndToEndTest.putServices;

/** Competing providers: each policy picks the provider it promises, for the reason it states. */
class ProviderPolicyTest extends HubTestSupport {

    @Autowired
    ProviderSelection selection;
    @Autowired
    Ledger ledger;

    private TestProviderPeer peer;
    private List<String> previouslyActive;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final TransactionFacts facts = new TransactionFacts("FR", "GBP", new BigDecimal("100"),
            new BigDecimal("100"), Set.of("90"), "standard", new BigDecimal("2"), "GB");

    @BeforeEach
    void competingForwarders() throws Exception {
        // only this test's providers compete (the sandbox and other tests register providers too)
        previouslyActive = jdbc.queryForList("select id from provider where active = true", String.class);
        jdbc.update("update provider set active = false");
        peer = new TestProviderPeer(Map.of(
                "a", new TestProviderPeer.Quote("20.00", "GBP", 0, 200),
                "b", new TestProviderPeer.Quote("12.00", "EUR", 50, 200),     // 10.26 GBP: the cheapest in time
                "c", new TestProviderPeer.Quote("1.00", "GBP", 3000, 200),    // cheaper, but after the deadline
                "d", new TestProviderPeer.Quote("0.50", "GBP", 0, 500)));     // broken
        for (String p : List.of("a", "b", "c", "d")) {
            register(id(p), "\"quoteUrl\": \"" + peer.url("/quote/" + p) + "\"");
        }
        register(id("e"), "\"listPrice\": \"11.00\", \"currency\": \"GBP\""); // no quote endpoint: its list price
    }

    @AfterEach
    void restore() {
        peer.close();
        jdbc.update("update provider set active = false where id like ?", "%-" + run);
        previouslyActive.forEach(id -> jdbc.update("update provider set active = true where id = ?", id));
    }

    @Test
    void cheapestAsksEveryoneAtOnceAndDecidesAtTheDeadline() throws Exception {
        TestTenant tenant = subscribed("{\"policy\": \"CHEAPEST\", \"quoteDeadlineMs\": 600}");
        long start = System.nanoTime();
        ProviderSelection.Choice c = selection.choose(tenant.id(), Service.FREIGHT_BOOKING, "SVTEST", facts);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(c.provider().id()).isEqualTo(id("b"));
        assertThat(c.reason()).startsWith("Cheapest of 3 price(s): 12.00 EUR (quote)")
                .contains("no price in time from " + id("c") + ", " + id("d"));
        assertThat(ms).as("parallel, bounded by the deadline").isLessThan(1500);
        @SuppressWarnings("unchecked")
        Map<String, String> quotes = (Map<String, String>) c.details().get("quotes");
        assertThat(quotes.get(id("e"))).isEqualTo("11.00 GBP (list price)");
    }

    @Test
    void fixedTakesTheNamedProviderWhateverItCosts() throws Exception {
        TestTenant tenant = subscribed("{\"policy\": \"FIXED\", \"fixedProvider\": \"" + id("a") + "\"}");
        ProviderSelection.Choice c = selection.choose(tenant.id(), Service.FREIGHT_BOOKING, "SVTEST", facts);
        assertThat(c.provider().id()).isEqualTo(id("a"));
        assertThat(c.reason()).contains("Fixed");
        jdbc.update("update provider set active = false where id = ?", id("a"));
        assertThatThrownBy(() -> selection.choose(tenant.id(), Service.FREIGHT_BOOKING, "SVTEST", facts))
                .isInstanceOf(ProviderSelection.NoProviderException.class).hasMessageContaining(id("a"));
    }

    @Test
    void fastestAndBestQualityFollowTheHubsOwnMeasurements() throws Exception {
        // a: slow (5 s) but always on time; b: fast (1 s) but rejects and answers past its due time
        history(id("a"), 5, false, false);
        history(id("a"), 5, false, false);
        history(id("b"), 1, true, true);
        history(id("b"), 1, false, true);
        TestTenant fast = subscribed("{\"policy\": \"FASTEST\"}");
        ProviderSelection.Choice f = selection.choose(fast.id(), Service.FREIGHT_BOOKING, "SVTEST", facts);
        assertThat(f.provider().id()).isEqualTo(id("b"));
        assertThat(f.reason()).startsWith("Fastest measured answer: 1000 ms");
        TestTenant careful = subscribed("{\"policy\": \"BEST_QUALITY\"}");
        ProviderSelection.Choice q = selection.choose(careful.id(), Service.FREIGHT_BOOKING, "SVTEST", facts);
        assertThat(q.provider().id()).isEqualTo(id("a"));
        assertThat(q.reason()).startsWith("Best measured quality: 100% answered on time");
    }

    private String id(String p) {
        return "fwd-" + p + "-" + run;
    }

    private void register(String id, String offer) throws Exception {
        var r = admin("PUT", "/admin/providers/" + id, """
                {"kind": "forwarder", "legalName": "Forwarder %s", "licenceNumber": "LIC-%s", "channel": "http",
                 "endpointUrl": "%s", "offers": [{"service": "freight-booking", %s}]}"""
                .formatted(id, id, peer.url("/requests"), offer));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private TestTenant subscribed(String policy) throws Exception {
        TestTenant tenant = newTenant();
        putServices(tenant, "{\"subscriptions\": [" + policy.replaceFirst("\\{", "{\"service\": \"freight-booking\", ")
                + "]}");
        return tenant;
    }

    /** One past request of this provider, as the hub records it: sent, answered after some seconds, due in 2 s. */
    private void history(String provider, int answerSeconds, boolean rejected, boolean overdue) {
        TestTenant tenant = newTenant();
        String tx = UUID.randomUUID().toString();
        String raw = ledger.storeDocument(tenant.id(), null, "order-raw", "in", "application/json", "r", new byte[] {1});
        ledger.insertTransaction(new Ledger.NewTransaction(tx, tenant.id(), "test", "test", null, tx, null, "ACCEPTED",
                "GBP", BigDecimal.TEN, "FR", raw, null, Instant.now()));
        Instant sent = Instant.now().minusSeconds(3600);
        jdbc.update("insert into plan_step (id, transaction_id, tenant_id, service, state, reference, provider_id,"
                        + " attempts, created_at, sent_at, due_at, answered_at, updated_at) values (?, ?, ?, 'freight-booking',"
                        + " ?, ?, ?, 1, ?, ?, ?, ?, ?)", UUID.randomUUID().toString(), tx, tenant.id(),
                rejected ? "REJECTED" : "DONE", PlanSteps.newReference("SV"), provider, Timestamp.from(sent),
                Timestamp.from(sent), Timestamp.from(sent.plusSeconds(overdue ? 0 : 10)),
                Timestamp.from(sent.plusSeconds(answerSeconds)), Timestamp.from(sent));
    }
}
