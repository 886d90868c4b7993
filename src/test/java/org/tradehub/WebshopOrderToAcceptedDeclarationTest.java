package org.tradehub;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.tradehub.declaration.Declarations;
import org.tradehub.ledger.TransactionStatus;
import org.tradehub.services.PlanSteps;
import org.tradehub.services.Service;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The first whole flow, through HTTP: a Shopify order reaches "declaration accepted" at the sandbox single window. */
class WebshopOrderToAcceptedDeclarationTest extends HubTestSupport {

    @Autowired
    private Declarations declarations;
    @Autowired
    private PlanSteps planSteps;

    @Test
    void shopifyOrderIsDeclaredAndAcceptedAndTheTimelineTellsTheStory() throws Exception {
        TestTenant tenant = newTenant();
        String orderId = String.valueOf(9_007_199_254_740_993L + System.nanoTime() % 1_000_000_000L);
        assertThat(postShopify(tenant, orderId, "webhooks/shopify/orders-create-2024-07.json")).isEqualTo(202);

        JsonNode t = awaitTransaction(tenant, orderId, x -> x.get("status").asText().equals("DECLARATION_ACCEPTED"));
        List<String> types = new ArrayList<>();
        t.get("timeline").forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsSubsequence("RECEIVED", "VALIDATED", "DECLARATION_SUBMITTED",
                "DECLARATION_RECEIVED", "DECLARATION_ACCEPTED");
        assertThat(t.get("declaration").get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(t.get("declaration").get("lrn").asText()).startsWith("TH");
        assertThat(t.get("declaration").get("attempts").asInt()).isEqualTo(1);
        assertThat(t.get("currency").asText()).isEqualTo("USD");
        // the declaration sent is kept with its hash, and is exactly one
        Integer declarations = jdbc.queryForObject("select count(*) from document where transaction_id = ?"
                + " and kind = 'export-declaration'", Integer.class, t.get("id").asText());
        assertThat(declarations).isEqualTo(1);
    }

    @Test
    void aLateAnswerNeverMovesTheTransactionBackwards() throws Exception {
        String id = acceptedDeclaration(9_207_199_254_740_993L);

        // the 202's bookkeeping or a DMSRCV recorded after the DMSACC: the status stays where it is
        declarations.advance(id, TransactionStatus.DECLARATION_SUBMITTED);
        declarations.advance(id, TransactionStatus.DECLARATION_ACCEPTED);
        assertThat(status(id)).isEqualTo(TransactionStatus.DECLARATION_ACCEPTED);
        // a later stage moves it on, and an earlier one cannot bring it back
        declarations.advance(id, TransactionStatus.CLEARED);
        assertThat(status(id)).isEqualTo(TransactionStatus.CLEARED);
        declarations.advance(id, TransactionStatus.UNDER_CUSTOMS_CONTROL);
        assertThat(status(id)).isEqualTo(TransactionStatus.CLEARED);
        // a status outside the declaration's life (the declaration failed) is followed by any answer of that life
        jdbc.update("update trade_transaction set status = ? where id = ?", TransactionStatus.DECLARATION_FAILED, id);
        declarations.advance(id, TransactionStatus.DECLARATION_ACCEPTED);
        assertThat(status(id)).isEqualTo(TransactionStatus.DECLARATION_ACCEPTED);
        // a rejection recorded before the submission's bookkeeping (the answer came back first) stays
        jdbc.update("update trade_transaction set status = ? where id = ?", TransactionStatus.DECLARATION_REJECTED, id);
        declarations.advance(id, TransactionStatus.DECLARATION_SUBMITTED);
        assertThat(status(id)).isEqualTo(TransactionStatus.DECLARATION_REJECTED);
    }

    @Test
    void theDeclarationStepOfThePlanOnlyMovesForward() throws Exception {
        String id = acceptedDeclaration(9_307_199_254_740_993L);
        assertThat(declarationStep(id)).isEqualTo(PlanSteps.ACCEPTED);

        // late bookkeeping (the 202's) and a late DMSRCV: the step stays accepted, the reason is the latest answer's
        planSteps.declarationOutcome(id, PlanSteps.SENT, null);
        planSteps.declarationOutcome(id, PlanSteps.ACKNOWLEDGED, "received late");
        assertThat(declarationStep(id)).isEqualTo(PlanSteps.ACCEPTED);
        // cleared: done, and final
        planSteps.declarationOutcome(id, PlanSteps.DONE, "cleared");
        planSteps.declarationOutcome(id, PlanSteps.REJECTED, "too late to reject");
        assertThat(declarationStep(id)).isEqualTo(PlanSteps.DONE);
        assertThat(jdbc.queryForObject("select reason from plan_step where transaction_id = ? and service = ?",
                String.class, id, Service.EXPORT_DECLARATION.id)).isEqualTo("cleared");

        // a failed step (parked) is moved on by any answer; a rejection moves any step that is not final
        jdbc.update("update plan_step set state = 'FAILED' where transaction_id = ? and service = ?", id,
                Service.EXPORT_DECLARATION.id);
        planSteps.declarationOutcome(id, PlanSteps.ACKNOWLEDGED, "received after all");
        assertThat(declarationStep(id)).isEqualTo(PlanSteps.ACKNOWLEDGED);
        planSteps.declarationOutcome(id, PlanSteps.REJECTED, "rejected");
        planSteps.declarationOutcome(id, PlanSteps.ACCEPTED, "accepted after the rejection");
        assertThat(declarationStep(id)).isEqualTo(PlanSteps.REJECTED);
    }

    /** A new tenant's sample order (its id near idBase), taken through to DECLARATION_ACCEPTED; its transaction id. */
    private String acceptedDeclaration(long idBase) throws Exception {
        TestTenant tenant = newTenant();
        String orderId = String.valueOf(idBase + System.nanoTime() % 1_000_000_000L);
        assertThat(postShopify(tenant, orderId, "webhooks/shopify/orders-create-2024-07.json")).isEqualTo(202);
        return awaitTransaction(tenant, orderId, x -> x.get("status").asText().equals("DECLARATION_ACCEPTED"))
                .get("id").asText();
    }

    private String declarationStep(String transactionId) {
        return jdbc.queryForObject("select state from plan_step where transaction_id = ? and service = ?", String.class,
                transactionId, Service.EXPORT_DECLARATION.id);
    }

    /** Posts the sample webhook as order orderId, signed for the tenant; returns the HTTP status. */
    private int postShopify(TestTenant tenant, String orderId, String sample) throws Exception {
        byte[] body = new String(resource(sample), StandardCharsets.UTF_8)
                .replaceFirst("\"id\":\\s*\\d+", "\"id\": " + orderId).getBytes(StandardCharsets.UTF_8);
        return postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null).statusCode();
    }

    private String status(String transactionId) {
        return jdbc.queryForObject("select status from trade_transaction where id = ?", String.class, transactionId);
    }

    @Test
    void aTenantSeesOnlyItsOwnTransactions() throws Exception {
        TestTenant owner = newTenant();
        TestTenant other = newTenant();
        String orderId = String.valueOf(9_107_199_254_740_993L + System.nanoTime() % 1_000_000_000L);
        postShopify(owner, orderId, "webhooks/shopify/orders-create-2023-07.json");
        String id = awaitTransaction(owner, orderId, x -> true).get("id").asText();

        assertThat(get("/api/transactions/" + id, owner.apiKey()).statusCode()).isEqualTo(200);
        assertThat(get("/api/transactions/" + id, other.apiKey()).statusCode()).isEqualTo(404);
        assertThat(get("/api/transactions/" + id, null).statusCode()).isEqualTo(401);
        assertThat(get("/api/transactions/" + id, "not-a-key").statusCode()).isEqualTo(401);
        assertThat(transactionsFor(other, orderId)).isEmpty();
        assertThat(get("/api/transactions?since=yesterday", owner.apiKey()).statusCode()).isEqualTo(400);
    }
}
