package org.tradehub.services;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tradehub.services.PlanStepFailureTest.send;

/**
 * A transaction's view is one committed state: while stages commit a status and its timeline event together, the
 * tracking API never shows the status of one commit beside the timeline of another (read in separate statements, a
 * broker's rejection once showed a rejected step beside a status still "submitted").
 */
class TransactionViewSnapshotTest extends HubTestSupport {

    @Autowired
    private TransactionTemplate tx;

    @Test
    void theStatusAndTheTimelineAreReadAsOfOneCommit() throws Exception {
        TestTenant tenant = newTenant();
        String orderId = send(tenant);
        JsonNode settled = awaitTransaction(tenant, orderId, t -> "DECLARATION_ACCEPTED".equals(t.get("status").asText()));
        String id = settled.get("id").asText();

        // a stage's commit, again and again: a new status and its event (the last on the timeline) in one transaction;
        // the event is one row changed each time, so the timeline keeps its length however long the writer runs
        Timestamp last = Timestamp.from(Instant.now().plusSeconds(3600));
        jdbc.update("insert into transaction_event (transaction_id, occurred_at, type, summary) values (?, ?, 'PROBE',"
                + " 'probe')", id, last);
        long probe = jdbc.queryForObject("select id from transaction_event where transaction_id = ? and type = 'PROBE'",
                Long.class, id);
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                String status = "PROBE-" + i;
                tx.executeWithoutResult(s -> {
                    jdbc.update("update trade_transaction set status = ? where id = ?", status, id);
                    jdbc.update("update transaction_event set type = ? where id = ?", status, probe);
                });
            }
        });
        writer.start();
        int compared = 0;
        try {
            for (int read = 0; read < 300; read++) {
                JsonNode t = JSON.readTree(get("/api/transactions/" + id, tenant.apiKey()).body());
                String status = t.get("status").asText();
                if (status.startsWith("PROBE-")) {
                    JsonNode timeline = t.get("timeline");
                    assertThat(timeline.get(timeline.size() - 1).get("type").asText())
                            .as("the last event beside status %s (read %d)", status, read).isEqualTo(status);
                    compared++;
                }
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(compared).as("reads taken while the writer committed").isGreaterThan(200);
    }
}
