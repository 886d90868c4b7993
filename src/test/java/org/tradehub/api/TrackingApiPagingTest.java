package org.tradehub.api;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** A tenant's whole history through the tracking API, a page at a time, newest first. */
class TrackingApiPagingTest extends HubTestSupport {

    private static final String ORDER = """
            {"orderNumber": "%s", "currency": "GBP", "buyer": {"name": "B", "address": {"country": "US"}},
             "lines": [{"sku": "SKU2006-020", "description": "Lounger", "quantity": "1", "unitPrice": "10"}]}""";

    /** Every page of the search, following "next", as the order numbers in the order the API gave them. */
    private List<String> allPages(TestTenant tenant, int limit) throws Exception {
        List<String> seen = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = JSON.readTree(get("/api/transactions?limit=" + limit
                    + (next == null ? "" : "&before=" + next), tenant.apiKey()).body());
            assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
            assertThat(page.get("count").asInt()).isEqualTo(page.get("items").size());
            page.get("items").forEach(t -> seen.add(t.at("/source/externalId").asText()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);
        return seen;
    }

    @Test
    void everyTransactionComesOnceInOrderEvenWhenTheyShareTheirReceivedTime() throws Exception {
        TestTenant tenant = newTenant();
        for (String number : List.of("P-1", "P-2", "P-3", "P-4", "P-5")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/orders"))
                    .header("Authorization", "Bearer " + tenant.apiKey()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ORDER.formatted(number))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(202);
            awaitTransaction(tenant, number, x -> true);
        }

        assertThat(allPages(tenant, 2)).containsExactly("P-5", "P-4", "P-3", "P-2", "P-1");

        // the records of one file drop share their received time: the pages still hold each exactly once
        jdbc.update("update trade_transaction set received_at = ? where tenant_id = ?",
                Timestamp.from(Instant.parse("2026-12-01T10:00:00Z")), tenant.id());
        List<String> tied = allPages(tenant, 2);
        assertThat(tied).hasSize(5).containsExactlyInAnyOrder("P-1", "P-2", "P-3", "P-4", "P-5");
        assertThat(allPages(tenant, 4)).isEqualTo(tied);

        // another tenant's transaction is no place to start from
        TestTenant other = newTenant();
        String someone = JSON.readTree(get("/api/transactions?limit=1", tenant.apiKey()).body())
                .get("items").get(0).get("id").asText();
        assertThat(get("/api/transactions?before=" + someone, other.apiKey()).statusCode()).isEqualTo(400);
    }
}
