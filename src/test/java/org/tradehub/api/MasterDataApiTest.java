package org.tradehub.api;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** A firm's own master data read back (its exporter profile and its catalogue, page by page) and its API key replaced. */
class MasterDataApiTest extends HubTestSupport {

    @Test
    void theProfileReadsBackAsSavedAndIs404BeforeItIsSet() throws Exception {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String apiKey = tenants.create(id, "New firm");

        assertThat(get("/api/profile", apiKey).statusCode()).isEqualTo(404);
        assertThat(call("PUT", "/api/profile", apiKey, """
                {"legalName": "Wool & Co Ltd", "eori": "GB123456789000", "countryCode": "GB", "city": "Leeds",
                 "exitOfficeId": "GB000060"}""").statusCode()).isEqualTo(200);

        HttpResponse<String> r = get("/api/profile", apiKey);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode profile = JSON.readTree(r.body());
        assertThat(profile.get("legalName").asText()).isEqualTo("Wool & Co Ltd");
        assertThat(profile.get("eori").asText()).isEqualTo("GB123456789000");
        assertThat(profile.get("exitOfficeId").asText()).isEqualTo("GB000060");
        assertThat(profile.get("lei").isNull()).isTrue();
        assertThat(profile.get("updatedAt").asText()).isNotBlank();
    }

    @Test
    void anApiKeyIsReplacedByTheTenantOrTheOperatorAndTheOldOneIsRefusedAtOnce() throws Exception {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String first = tenants.create(id, "Key holder");
        assertThat(get("/api/profile", first).statusCode()).as("the key works (no profile yet)").isEqualTo(404);

        HttpResponse<String> own = call("POST", "/api/api-key", first, null);
        assertThat(own.statusCode()).isEqualTo(200);
        String second = JSON.readTree(own.body()).get("apiKey").asText();
        assertThat(second).isNotEqualTo(first).startsWith("thk_");
        // refused at once, although this instance had just authenticated it (its key cache)
        assertThat(get("/api/profile", first).statusCode()).isEqualTo(401);
        assertThat(get("/api/profile", second).statusCode()).isEqualTo(404);

        assertThat(call("POST", "/admin/tenants/" + id + "/api-key", second, null).statusCode())
                .as("a tenant's key is no operator's token").isEqualTo(401);
        HttpResponse<String> byOperator = call("POST", "/admin/tenants/" + id + "/api-key", ADMIN_TOKEN, null);
        assertThat(byOperator.statusCode()).isEqualTo(200);
        String third = JSON.readTree(byOperator.body()).get("apiKey").asText();
        assertThat(get("/api/profile", second).statusCode()).isEqualTo(401);
        assertThat(get("/api/profile", third).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/admin/tenants/no-such-tenant/api-key", ADMIN_TOKEN, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void theCatalogueIsListedInSkuOrderAPageAtATimeAndOnlyToItsTenant() throws Exception {
        TestTenant tenant = newTenant();
        TestTenant other = newTenant();
        for (String sku : List.of("ZZ-3", "ZZ-1", "ZZ-2")) {
            assertThat(call("PUT", "/api/products/" + sku, tenant.apiKey(),
                    "{\"hsCode\": \"61091000\", \"originCountry\": \"PT\", \"netMassKg\": \"0.150\"}").statusCode())
                    .isEqualTo(200);
        }

        // newTenant's catalogue holds eight SKUs before these: page through all eleven, two at a time
        List<String> skus = new java.util.ArrayList<>();
        String after = "";
        int pages = 0;
        do {
            JsonNode page = JSON.readTree(get("/api/products?limit=2&after=" + after, tenant.apiKey()).body());
            page.get("items").forEach(p -> skus.add(p.get("sku").asText()));
            after = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(6);
        assertThat(skus).hasSize(11).isSorted().contains("ZZ-1", "ZZ-2", "ZZ-3");

        JsonNode one = JSON.readTree(get("/api/products/ZZ-2", tenant.apiKey()).body());
        assertThat(one.get("hsCode").asText()).isEqualTo("61091000");
        assertThat(one.get("netMassKg").asText()).isEqualTo("0.15");

        assertThat(get("/api/products/ZZ-2", other.apiKey()).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(get("/api/products?limit=500", other.apiKey()).body()).get("items").toString())
                .doesNotContain("ZZ-");
        assertThat(get("/api/products?limit=501", tenant.apiKey()).statusCode()).isEqualTo(400);
    }

    @Test
    void aDeletedProductNoLongerFillsLaterOrders() throws Exception {
        TestTenant tenant = newTenant();

        assertThat(call("DELETE", "/api/products/SKU2006-020", tenant.apiKey(), null).statusCode()).isEqualTo(204);
        assertThat(get("/api/products/SKU2006-020", tenant.apiKey()).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/api/products/SKU2006-020", tenant.apiKey(), null).statusCode()).isEqualTo(404);

        String order = """
                {"orderNumber": "DEL-1", "currency": "GBP", "buyer": {"name": "B", "address": {"country": "US"}},
                 "lines": [{"sku": "SKU2006-020", "description": "Lounger", "quantity": "1", "unitPrice": "10"}]}""";
        assertThat(call("POST", "/api/orders", tenant.apiKey(), order).statusCode()).isEqualTo(202);
        JsonNode t = awaitTransaction(tenant, "DEL-1", x -> x.get("status").asText().equals("REJECTED"));
        assertThat(t.get("timeline").toString()).contains("SKU2006-020) has no HS code");
    }
}
