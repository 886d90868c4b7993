package org.tradehub.intake;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Manual entry as a firm uses it: an order typed into the form or sent by its own program with its API key. */
class ManualEntryTest extends HubTestSupport {

    private static final String SAMPLE = new String(resource("manual/order-gb-to-us.json"), StandardCharsets.UTF_8);

    private static String sample(String orderNumber) {
        return SAMPLE.replace("INV-2026-0042", orderNumber);
    }

    private static String newOrderNumber() {
        return "INV-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static HttpResponse<String> post(String apiKey, String body, String idempotencyKey, String contentType)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/api/orders"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(TestTenant tenant, String body) throws Exception {
        return post(tenant.apiKey(), body, null, "application/json");
    }

    private int events(String transactionId, String type) {
        return jdbc.queryForObject("select count(*) from transaction_event where transaction_id = ? and type = ?",
                Integer.class, transactionId, type);
    }

    @Test
    void anOrderTypedInIsFilledFromTheTenantsDataAndDeclaredLikeAnyOther() throws Exception {
        TestTenant tenant = newTenant();
        String number = newOrderNumber();

        HttpResponse<String> r = post(tenant, sample(number));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).get("status").asText()).isEqualTo("queued");
        JsonNode t = awaitTransaction(tenant, number, x -> x.get("status").asText().equals("DECLARATION_ACCEPTED"));
        assertThat(t.at("/source/channel").asText()).isEqualTo("manual-entry");
        assertThat(t.at("/source/format").asText()).isEqualTo("manual-order");
        assertThat(t.at("/source/externalId").asText()).isEqualTo(number);
        assertThat(t.get("currency").asText()).isEqualTo("USD");
        assertThat(t.get("grandTotal").asText()).isEqualTo("603.18");
        assertThat(t.get("destinationCountry").asText()).isEqualTo("US");
        String canonical = jdbc.queryForObject("select d.content from document d join trade_transaction t"
                + " on t.canonical_document_id = d.id where t.id = ?", (rs, i) -> new String(rs.getBytes(1),
                StandardCharsets.UTF_8), t.get("id").asText());
        // the exporter from the profile; the first line's HS code and origin from the catalogue (SKU2006-020);
        // the second line keeps what was typed (9403.60.10 as 94036010), the third too (4811 90 00 as 48119000)
        assertThat(canonical).contains("<SellerTradeParty><Name>Test Exports Ltd</Name>", "<HSCode>94016100</HSCode>",
                "<HSCode>94036010</HSCode>", "<HSCode>48119000</HSCode>", "<IssueDateTime>2026-12-01T00:00:00Z</IssueDateTime>");
    }

    @Test
    void everyFieldThatIsWrongIsAnsweredAtOnceAndNothingIsQueued() throws Exception {
        TestTenant tenant = newTenant();
        String number = newOrderNumber();
        String bad = sample(number).replace("\"currency\": \"USD\",", "")
                .replace("\"quantity\": \"2\"", "\"quantity\": \"2,5\"")
                .replace("\"country\": \"US\"", "\"country\": \"usa\"")
                .replace("\"paymentStatus\": \"paid\"", "\"paymentStatus\": \"paid\", \"note\": \"rush\"");

        HttpResponse<String> r = post(tenant, bad);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.get("detail").asText()).contains("not queued", "4 things in it");
        assertThat(problem.get("errors")).hasSize(4);
        assertThat(problem.get("errors")).extracting(JsonNode::asText).containsExactly(
                "buyer.address.country: must be an ISO 3166-1 country code in capitals, such as GB, US or DE",
                "lines[0].quantity: must be a number above zero such as 2 or 2.5: a point for decimals, no thousands"
                        + " separators, at most 6 decimals",
                "the order: property 'note' is not defined in the schema and the schema does not allow additional"
                        + " properties",
                "the order: required property 'currency' not found");
        Thread.sleep(500);
        assertThat(transactionsFor(tenant, number)).isEmpty();
    }

    @Test
    void aBodyThatIsNotAnOrderOrNotFromAKnownTenantIsRefusedWithItsReason() throws Exception {
        TestTenant tenant = newTenant();
        String number = newOrderNumber();

        HttpResponse<String> notJson = post(tenant, "{\"orderNumber\": \"" + number + "\",");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).get("errors").get(0).asText()).startsWith("The body is not JSON");

        HttpResponse<String> duplicateKeys = post(tenant, "{\"currency\": \"GBP\", \"currency\": \"USD\"}");
        assertThat(duplicateKeys.statusCode()).isEqualTo(400);
        assertThat(duplicateKeys.body()).contains("Duplicate field 'currency'");

        HttpResponse<String> form = post(tenant.apiKey(), sample(number), null, "application/x-www-form-urlencoded");
        assertThat(form.statusCode()).isEqualTo(415);

        HttpResponse<String> noKey = post(null, sample(number), null, "application/json");
        HttpResponse<String> wrongKey = post("not-a-key", sample(number), null, "application/json");
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(wrongKey.statusCode()).isEqualTo(401);

        HttpResponse<String> tooLarge = post(tenant, sample(number).replace("\"Express\"",
                "\"" + "x".repeat(1_100_000) + "\""));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        Thread.sleep(500);
        assertThat(transactionsFor(tenant, number)).isEmpty();
    }

    @Test
    void theOrderIsTheKeysTenantsAndNoOtherTenantSeesIt() throws Exception {
        TestTenant one = newTenant();
        TestTenant other = newTenant();
        String number = newOrderNumber();

        assertThat(post(one, sample(number)).statusCode()).isEqualTo(202);

        JsonNode t = awaitTransaction(one, number, x -> true);
        assertThat(t.get("tenant").asText()).isEqualTo(one.id());
        assertThat(transactionsFor(other, number)).isEmpty();
        assertThat(get("/api/transactions/" + t.get("id").asText(), other.apiKey()).statusCode()).isEqualTo(404);
    }

    @Test
    void aRetriedSubmissionIsOneDeliveryAndTheSameOrderNumberIsOneTransaction() throws Exception {
        TestTenant tenant = newTenant();
        String number = newOrderNumber();
        String key = UUID.randomUUID().toString();

        for (int i = 0; i < 3; i++) { // a double click and a retry after a timeout: one submission
            assertThat(post(tenant.apiKey(), sample(number), key, "application/json").statusCode()).isEqualTo(202);
        }
        String id = awaitTransaction(tenant, number, x -> true).get("id").asText();
        Thread.sleep(1000); // time for a second copy to be recorded, were the hub to record one
        assertThat(events(id, "RECEIVED")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from document where transaction_id = ? and kind = 'order-raw'",
                Integer.class, id)).isEqualTo(1);

        // the firm sends the order again (a new submission): an update of the same order, not a second one
        assertThat(post(tenant, sample(number)).statusCode()).isEqualTo(202);
        awaitTransaction(tenant, number, x -> x.get("timeline").toString().contains("SOURCE_UPDATE"));
        assertThat(transactionsFor(tenant, number)).hasSize(1);
        assertThat(events(id, "RECEIVED")).isEqualTo(1);
    }

    @Test
    void aSixDigitHsCodeIsCompletedFromTheCatalogueOrRefusedBeforeCustomsSeesIt() throws Exception {
        TestTenant tenant = newTenant();
        String number = newOrderNumber();
        String order = """
                {"orderNumber": "%s", "currency": "GBP", "buyer": {"name": "B", "address": {"country": "US"}},
                 "lines": [{"sku": "SKU2006-035", "description": "Bedside table", "hsCode": "9403.60", "quantity": "1",
                            "unitPrice": "90"},
                           {"description": "Gift wrapping", "hsCode": "%s", "originCountry": "GB", "quantity": "1",
                            "unitPrice": "2"}]}""";

        // line 1's 940360 is the catalogue's 94036010 cut short: completed; line 2 has no catalogue entry
        assertThat(post(tenant, order.formatted(number, "481190")).statusCode()).isEqualTo(202);
        JsonNode rejected = awaitTransaction(tenant, number, x -> x.get("status").asText().equals("REJECTED"));
        assertThat(rejected.get("timeline").toString()).contains("Line 2 has the 6-digit HS code 481190, but a UK"
                + " export declaration needs the 8-digit commodity code").doesNotContain("Line 1 ");
        assertThat(jdbc.queryForObject("select count(*) from declaration where transaction_id = ?", Integer.class,
                rejected.get("id").asText())).as("nothing declared").isZero();

        assertThat(post(tenant, order.formatted(number, "4811.90.00")).statusCode()).isEqualTo(202);
        JsonNode accepted = awaitTransaction(tenant, number,
                x -> x.get("status").asText().equals("DECLARATION_ACCEPTED"));
        String canonical = jdbc.queryForObject("select d.content from document d join trade_transaction t"
                + " on t.canonical_document_id = d.id where t.id = ?", (rs, i) -> new String(rs.getBytes(1),
                StandardCharsets.UTF_8), accepted.get("id").asText());
        assertThat(canonical).contains("<HSCode>94036010</HSCode>", "<HSCode>48119000</HSCode>");
    }

    @Test
    void anOrderTheCodeListsRefuseIsRejectedWithTheReasonAndItsCorrectionGoesOn() throws Exception {
        TestTenant tenant = newTenant();
        String number = newOrderNumber();
        // the right shape, but no such currency: the code lists decide, at intake
        assertThat(post(tenant, sample(number).replace("\"USD\"", "\"USX\"")).statusCode()).isEqualTo(202);
        JsonNode rejected = awaitTransaction(tenant, number, x -> x.get("status").asText().equals("REJECTED"));
        assertThat(rejected.get("timeline").toString()).contains("InvoiceCurrencyCode 'USX'");

        assertThat(post(tenant, sample(number)).statusCode()).isEqualTo(202);
        JsonNode corrected = awaitTransaction(tenant, number,
                x -> x.get("status").asText().equals("DECLARATION_ACCEPTED"));
        assertThat(corrected.get("id").asText()).isEqualTo(rejected.get("id").asText());
    }
}
