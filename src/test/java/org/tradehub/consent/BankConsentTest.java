package org.tradehub.consent;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.tradehub.ledger.Ledger;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bank reads a tenant's history only under a consent in force and within its scope: granted, used (JSON, CSV,
 * pages), revoked, expired by the clock; every request is logged for the tenant; tenants never see each other's.
 */
class BankConsentTest extends HubTestSupport {

    @Autowired
    Ledger ledger;

    TestTenant tenant;
    TestTenant other;
    String bank;
    String bankKey;
    final Instant t0 = Instant.parse("2025-03-01T10:00:00Z");

    @BeforeEach
    void setUp() throws Exception {
        tenant = newTenant();
        other = newTenant();
        bank = "bank-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = call("POST", "/admin/banks", ADMIN_TOKEN,
                "{\"id\":\"" + bank + "\",\"name\":\"Lender plc\"}", null);
        assertThat(created.statusCode()).isEqualTo(201);
        bankKey = JSON.readTree(created.body()).get("apiKey").asText();
        assertThat(jdbc.queryForObject("select api_key_sha256 from bank where id = ?", String.class, bank))
                .isNotEqualTo(bankKey).hasSize(64);
        // history: A has four transactions an hour apart, B one
        transaction(tenant, "1001", "#1001", "ACCEPTED", "1234.5000", 0);
        transaction(tenant, "1002", "#1002, \"rush\"", "DECLARATION_ACCEPTED", "99.9900", 1);
        transaction(tenant, "1003", "#1003", "REJECTED", null, 2);
        transaction(tenant, "1004", "#1004", "ACCEPTED", "10.0000", 3);
        transaction(other, "2001", "#2001", "ACCEPTED", "5000.0000", 0);
    }

    @AfterEach
    void putTheClockBack() {
        clock.reset();
    }

    @Test
    void grantedConsentIsUsedWithinItsScopeInJsonAndCsvAndEveryAccessIsLogged() throws Exception {
        JsonNode consent = grant(tenant, "{\"bankId\":\"" + bank + "\",\"until\":\"" + clock.instant().plus(Duration.ofDays(30))
                + "\",\"purpose\":\"working capital loan\",\"scope\":{\"statuses\":[\"ACCEPTED\",\"DECLARATION_ACCEPTED\"],"
                + "\"fields\":[\"status\",\"externalNumber\",\"currency\",\"grandTotal\"]}}");
        assertThat(consent.get("state").asText()).isEqualTo("ACTIVE");
        JsonNode held = JSON.readTree(bankGet("/bank/consents", null).body()).get("items");
        assertThat(held).hasSize(1);
        assertThat(held.get(0).get("tenant").asText()).isEqualTo(tenant.id());
        assertThat(held.get(0).get("scope").get("fields")).hasSize(4);

        HttpResponse<String> json = bankGet("/bank/tenants/" + tenant.id() + "/transactions", null);
        assertThat(json.statusCode()).isEqualTo(200);
        JsonNode items = JSON.readTree(json.body()).get("items");
        assertThat(items).hasSize(3); // the REJECTED one is out of scope
        assertThat(items.get(0).get("grandTotal").isTextual()).isTrue();
        assertThat(items.get(0).get("grandTotal").asText()).isEqualTo("1234.5");
        assertThat(items.get(1).get("externalNumber").asText()).isEqualTo("#1002, \"rush\"");
        assertThat(items.get(0).has("destinationCountry")).isFalse(); // a field out of scope
        assertThat(items.get(0).has("id")).isTrue();
        assertThat(json.body()).doesNotContain("#2001", "\"grandTotal\":\"5000\"");

        HttpResponse<String> csv = bankGet("/bank/tenants/" + tenant.id() + "/transactions", "text/csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("id,receivedAt,status,externalNumber,currency,grandTotal");
        assertThat(lines).hasSize(4);
        assertThat(lines[2]).contains(",DECLARATION_ACCEPTED,\"#1002, \"\"rush\"\"\",GBP,99.99");
        HttpResponse<String> csvByParameter = bankGet("/bank/tenants/" + tenant.id() + "/transactions?format=csv", null);
        assertThat(csvByParameter.body()).isEqualTo(csv.body());

        JsonNode log = JSON.readTree(get("/api/consents/" + consent.get("id").asText() + "/accesses", tenant.apiKey())
                .body()).get("items");
        assertThat(log).hasSize(3);
        assertThat(log.get(0).get("granted").asBoolean()).isTrue();
        assertThat(log.get(0).get("bankId").asText()).isEqualTo(bank);
        assertThat(log.get(0).get("mediaType").asText()).isEqualTo("text/csv");
        assertThat(log.get(2).get("records").asInt()).isEqualTo(3);
    }

    @Test
    void theHistoryComesInPagesAndWithinSinceUntilAndTheConsentsHistoryWindow() throws Exception {
        grant(tenant, "{\"bankId\":\"" + bank + "\",\"until\":\"" + clock.instant().plus(Duration.ofDays(1))
                + "\",\"scope\":{\"historyUntil\":\"" + t0.plus(Duration.ofHours(3)) + "\"}}");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> r = bankGet("/bank/tenants/" + tenant.id() + "/transactions?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), null);
            JsonNode page = JSON.readTree(r.body());
            assertThat(r.headers().firstValue("X-Next-Cursor").orElse(null))
                    .isEqualTo(page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText());
            assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
            page.get("items").forEach(i -> seen.add(i.get("externalId").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactly("1001", "1002", "1003"); // 1004 lies after the consent's history window
        assertThat(pages).isEqualTo(2);

        JsonNode window = JSON.readTree(bankGet("/bank/tenants/" + tenant.id() + "/transactions?since="
                + t0.plus(Duration.ofMinutes(30)) + "&until=" + t0.plus(Duration.ofHours(2)), null).body());
        assertThat(window.get("items")).hasSize(1);
        assertThat(window.get("items").get(0).get("externalId").asText()).isEqualTo("1002");
        assertThat(bankGet("/bank/tenants/" + tenant.id() + "/transactions?cursor=bogus", null).statusCode())
                .isEqualTo(400);
    }

    @Test
    void withoutConsentForAnotherTenantOrAnUnknownOneTheBankGetsTheSameRefusal() throws Exception {
        grant(tenant, "{\"bankId\":\"" + bank + "\",\"until\":\"" + clock.instant().plus(Duration.ofDays(1)) + "\"}");

        HttpResponse<String> otherTenant = bankGet("/bank/tenants/" + other.id() + "/transactions", null);
        HttpResponse<String> unknown = bankGet("/bank/tenants/no-such-tenant/transactions", null);
        assertThat(otherTenant.statusCode()).isEqualTo(403);
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(otherTenant.body()).get("detail"))
                .isEqualTo(JSON.readTree(unknown.body()).get("detail"));
        assertThat(otherTenant.body()).doesNotContain("#2001", "\"grandTotal\":\"5000\"");
        assertThat(get("/bank/tenants/" + tenant.id() + "/transactions", null).statusCode()).isEqualTo(401);
        assertThat(get("/bank/tenants/" + tenant.id() + "/transactions", tenant.apiKey()).statusCode()).isEqualTo(401);

        // the refused request is in the other tenant's log; the other tenant cannot see or revoke A's consent
        JsonNode log = JSON.readTree(get("/api/bank-accesses", other.apiKey()).body()).get("items");
        assertThat(log).hasSize(1);
        assertThat(log.get(0).get("granted").asBoolean()).isFalse();
        assertThat(log.get(0).get("reason").asText()).isEqualTo("no consent");
        String consentOfA = JSON.readTree(get("/api/consents", tenant.apiKey()).body()).get("items").get(0).get("id").asText();
        assertThat(JSON.readTree(get("/api/consents", other.apiKey()).body()).get("items")).isEmpty();
        assertThat(get("/api/consents/" + consentOfA, other.apiKey()).statusCode()).isEqualTo(404);
        assertThat(get("/api/consents/" + consentOfA + "/accesses", other.apiKey()).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/api/consents/" + consentOfA, other.apiKey(), null, null).statusCode()).isEqualTo(404);
        assertThat(bankGet("/bank/tenants/" + tenant.id() + "/transactions", null).statusCode()).isEqualTo(200);

        // a rotated bank key: the old one is refused at once
        HttpResponse<String> rotated = call("POST", "/admin/banks/" + bank + "/api-key", ADMIN_TOKEN, null, null);
        assertThat(rotated.statusCode()).isEqualTo(200);
        String oldKey = bankKey;
        bankKey = JSON.readTree(rotated.body()).get("apiKey").asText();
        assertThat(get("/bank/tenants/" + tenant.id() + "/transactions", oldKey).statusCode()).isEqualTo(401);
        assertThat(bankGet("/bank/tenants/" + tenant.id() + "/transactions", null).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/admin/banks/no-such-bank/api-key", ADMIN_TOKEN, null, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aRevokedConsentIsRefusedFromTheNextRequestOn() throws Exception {
        String id = grant(tenant, "{\"bankId\":\"" + bank + "\",\"until\":\"" + clock.instant().plus(Duration.ofDays(1))
                + "\"}").get("id").asText();
        assertThat(bankGet("/bank/tenants/" + tenant.id() + "/transactions", null).statusCode()).isEqualTo(200);

        HttpResponse<String> revoked = call("DELETE", "/api/consents/" + id, tenant.apiKey(), null, null);
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(revoked.body()).get("state").asText()).isEqualTo("REVOKED");

        assertThat(bankGet("/bank/tenants/" + tenant.id() + "/transactions", null).statusCode()).isEqualTo(403);
        assertThat(bankGet("/bank/tenants/" + tenant.id() + "/transactions?format=csv", null).statusCode()).isEqualTo(403);
        JsonNode log = JSON.readTree(get("/api/consents/" + id + "/accesses", tenant.apiKey()).body()).get("items");
        assertThat(log).hasSize(3);
        assertThat(log.get(0).get("granted").asBoolean()).isFalse();
        assertThat(log.get(0).get("reason").asText()).isEqualTo("consent revoked");
        assertThat(log.get(2).get("granted").asBoolean()).isTrue();
    }

    @Test
    void aConsentIsInForceOnlyFromItsStartUntilItExpiresByTheClock() throws Exception {
        Instant now = clock.instant();
        String id = grant(tenant, "{\"bankId\":\"" + bank + "\",\"from\":\"" + now.plus(Duration.ofHours(1))
                + "\",\"until\":\"" + now.plus(Duration.ofHours(3)) + "\"}").get("id").asText();
        assertThat(bankGet("/bank/tenants/" + tenant.id() + "/transactions", null).statusCode()).isEqualTo(403);

        clock.advance(Duration.ofHours(2));
        assertThat(bankGet("/bank/tenants/" + tenant.id() + "/transactions", null).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofHours(2));
        assertThat(bankGet("/bank/tenants/" + tenant.id() + "/transactions", null).statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(get("/api/consents/" + id, tenant.apiKey()).body()).get("state").asText())
                .isEqualTo("EXPIRED");
        JsonNode log = JSON.readTree(get("/api/consents/" + id + "/accesses", tenant.apiKey()).body()).get("items");
        assertThat(log).extracting(a -> a.get("reason").asText(null))
                .containsExactly("consent expired", null, "consent pending");
    }

    @Test
    void aConsentMustNameARegisteredBankAFutureEndAndKnownScope() throws Exception {
        String until = clock.instant().plus(Duration.ofDays(1)).toString();
        assertThat(call("POST", "/api/consents", tenant.apiKey(), "{\"bankId\":\"nobank\",\"until\":\"" + until + "\"}",
                null).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/consents", tenant.apiKey(), "{\"bankId\":\"" + bank + "\",\"until\":\""
                + clock.instant().minusSeconds(1) + "\"}", null).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/consents", tenant.apiKey(), "{\"bankId\":\"" + bank + "\",\"until\":\""
                + clock.instant().plus(Duration.ofDays(2000)) + "\"}", null).statusCode()).isEqualTo(400);
        HttpResponse<String> badField = call("POST", "/api/consents", tenant.apiKey(), "{\"bankId\":\"" + bank
                + "\",\"until\":\"" + until + "\",\"scope\":{\"fields\":[\"buyerName\"]}}", null);
        assertThat(badField.statusCode()).isEqualTo(400);
        assertThat(badField.body()).contains("buyerName");
        assertThat(call("POST", "/admin/banks", tenant.apiKey(), "{\"id\":\"x\",\"name\":\"y\"}", null).statusCode())
                .isEqualTo(401);
        assertThat(JSON.readTree(get("/api/banks", tenant.apiKey()).body()).toString()).contains(bank);
    }

    @Test
    void csvValuesThatASpreadsheetWouldRunAsFormulasAreNeutralised() {
        assertThat(BankHistoryApi.csvField("=HYPERLINK(\"http://evil\",\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
        assertThat(BankHistoryApi.csvField("+44 20")).isEqualTo("'+44 20");
        assertThat(BankHistoryApi.csvField("-2+3")).isEqualTo("'-2+3");
        assertThat(BankHistoryApi.csvField("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(BankHistoryApi.csvField("\t=1")).isEqualTo("'\t=1");
        assertThat(BankHistoryApi.csvField("\r=1")).isEqualTo("\"'\r=1\"");
        assertThat(BankHistoryApi.csvField("#1001")).isEqualTo("#1001");
        assertThat(BankHistoryApi.csvField("")).isEmpty();
    }

    @Test
    void aFormulaInAnOrderReachesTheBanksCsvAsText() throws Exception {
        transaction(tenant, "3001", "=cmd|' /C calc'!A0", "ACCEPTED", "1.0000", 4);
        grant(tenant, "{\"bankId\":\"" + bank + "\",\"until\":\"" + clock.instant().plus(Duration.ofDays(1)) + "\"}");
        String csv = bankGet("/bank/tenants/" + tenant.id() + "/transactions?format=csv", null).body();
        assertThat(csv).contains(",'=cmd|' /C calc'!A0,").doesNotContain(",=cmd");
    }

    @Test
    void aBadBankKeyIsReportedToTheOperatorAndNeverInATenantsLog(
            @Autowired io.micrometer.core.instrument.MeterRegistry meters) throws Exception {
        double before = meters.counter("hub.bank.auth.failures").count();
        int logged = jdbc.queryForObject("select count(*) from consent_access", Integer.class);
        assertThat(call("GET", "/bank/tenants/" + tenant.id() + "/transactions", "thb_wrong", null, null).statusCode())
                .isEqualTo(401);
        assertThat(call("GET", "/bank/consents", null, null, null).statusCode()).isEqualTo(401);
        assertThat(meters.counter("hub.bank.auth.failures").count()).isEqualTo(before + 2);
        assertThat(jdbc.queryForObject("select count(*) from consent_access", Integer.class)).isEqualTo(logged);
        assertThat(JSON.readTree(call("GET", "/api/bank-accesses", tenant.apiKey(), null, null).body()).toString())
                .doesNotContain("thb_wrong");
    }

    private void transaction(TestTenant owner, String externalId, String number, String status, String total,
                             int hour) {
        String id = UUID.randomUUID().toString();
        String raw = ledger.storeDocument(owner.id(), null, "order-raw", "in", "application/json", null,
                Ledger.utf8("{}"));
        ledger.insertTransaction(new Ledger.NewTransaction(id, owner.id(), "shopify", "shopify-order", null,
                externalId, number, status, total == null ? null : "GBP", total == null ? null : new BigDecimal(total),
                "US", raw, null, t0.plus(Duration.ofHours(hour))));
    }

    private JsonNode grant(TestTenant owner, String body) throws Exception {
        HttpResponse<String> r = call("POST", "/api/consents", owner.apiKey(), body, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> bankGet(String path, String accept) throws Exception {
        return call("GET", path, bankKey, null, accept);
    }

    static HttpResponse<String> call(String method, String path, String token, String body, String accept)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
