package org.tradehub.support;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import jakarta.jms.Message;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.tenant.TenantDirectory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A UK exporter on a hub started with {@link HubInstance}: a tenant with a Shopify secret, an exporter profile and the
 * products of the Shopify sample order, so that the sample is declared to the GB single window.
 */
public record GbExporter(HubInstance hub, String tenant, String apiKey, String secret) {

    public static GbExporter create(HubInstance hub, String prefix) {
        TenantDirectory tenants = hub.bean(TenantDirectory.class);
        String tenant = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String apiKey = tenants.create(tenant, "Test exporter " + tenant);
        String secret = "secret-" + UUID.randomUUID();
        tenants.rotateWebhookSecret(tenant, "shopify", secret, Duration.ZERO);
        JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
        jdbc.update("insert into exporter_profile (tenant_id, legal_name, eori, country_code, updated_at)"
                + " values (?, 'Test Exports Ltd', 'GB427168118378', 'GB', current_timestamp)", tenant);
        for (String[] p : new String[][] {{"SKU2006-001", "90041091"}, {"SKU2006-020", "94016100"},
                {"SKU2006-035", "94036010"}}) {
            jdbc.update("insert into product (tenant_id, sku, hs_code, origin_country, net_mass_kg, updated_at)"
                    + " values (?, ?, ?, 'GB', 1, current_timestamp)", tenant, p[0], p[1]);
        }
        return new GbExporter(hub, tenant, apiKey, secret);
    }

    /** The Shopify sample order as order orderId, signed, under a new webhook id; asserts the hub took it (202). */
    public void sendOrder(String orderId) throws Exception {
        sendOrder(orderId, UUID.randomUUID().toString());
    }

    /** The same, under the given webhook id (Shopify's id of one delivery, the same on its retries). */
    public void sendOrder(String orderId, String webhookId) throws Exception {
        sendOrder(orderId, webhookId, json -> json);
    }

    /** The sample order as order orderId, changed by edit (its JSON text), under the given webhook id. */
    public void sendOrder(String orderId, String webhookId, java.util.function.UnaryOperator<String> edit)
            throws Exception {
        byte[] body = edit.apply(Files.readString(Path.of("src/test/resources/webhooks/shopify/orders-create-2024-07.json"))
                .replaceFirst("\"id\":\\s*\\d+", "\"id\": " + orderId)).getBytes(StandardCharsets.UTF_8);
        String signature = Base64.getEncoder().encodeToString(
                WebhookGuard.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
        HttpResponse<String> r = HubTestSupport.HTTP.send(HttpRequest.newBuilder(
                        URI.create(hub.base() + "/webhooks/shopify/" + tenant))
                .header("X-Shopify-Hmac-Sha256", signature).header("X-Shopify-Webhook-Id", webhookId)
                .header("X-Shopify-Topic", "orders/create")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(202);
    }

    /** The id of the transaction of order orderId, once intake has recorded it. */
    public String transactionId(String orderId) throws Exception {
        JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var ids = jdbc.queryForList("select id from trade_transaction where tenant_id = ? and external_id = ?",
                    String.class, tenant, orderId);
            if (!ids.isEmpty()) {
                return ids.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("order " + orderId + " never recorded");
    }

    /**
     * Another message for the transaction's declaration on the declaration queue, as intake queues it when a duplicate
     * delivery of the order comes while the first message may have been lost.
     */
    public void queueDeclaration(String transactionId) {
        hub.bean(JmsTemplate.class).send("hub.declarations.gb-cds", session -> {
            Message m = session.createTextMessage("");
            m.setStringProperty("hubTransactionId", transactionId);
            m.setStringProperty("hubTenantId", tenant);
            m.setStringProperty("hubDeclarationTarget", "gb-cds");
            return m;
        });
    }
}
