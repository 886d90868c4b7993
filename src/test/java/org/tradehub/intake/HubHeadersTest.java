package org.tradehub.intake;

import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HubHeadersTest {

    private static Message withHeaders() {
        Message m = new DefaultExchange(new DefaultCamelContext()).getMessage();
        m.setHeader("hubTenantId", "acme");
        m.setHeader("hubReceiptId", "r-1");
        m.setHeader("Content-Type", "application/json");
        m.setHeader("X-Shopify-Hmac-Sha256", "abc");
        m.setHeader("CamelHttpUri", "/webhooks/shopify/acme");
        return m;
    }

    private static Set<String> names(Message m) {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(m.getHeaders().keySet());
        return names;
    }

    @Test
    void aCallersHubHeadersAreDroppedWhateverTheirCase() {
        Message m = withHeaders();
        m.removeHeader("hubTenantId");
        // Camel's headers ignore case: this would be read as hubTenantId
        m.setHeader("HubTenantId", "someone-else");
        m.setHeader("HUBCHANNEL", "forged");
        HubHeaders.dropOurs(m);
        assertEquals(Set.of("Content-Type", "X-Shopify-Hmac-Sha256", "CamelHttpUri"), Set.copyOf(m.getHeaders().keySet()));
        assertEquals(null, m.getHeader("hubTenantId"));
    }

    @Test
    void onlyTheHubsHeadersGoOntoAQueue() {
        Message m = withHeaders();
        HubHeaders.keepOnlyOurs(m);
        assertEquals(Set.of("hubTenantId", "hubReceiptId"), names(m));
        assertEquals("acme", m.getHeader("hubTenantId"));
    }

    @Test
    void aQueuesContractKeepsOnlyTheHeadersItNames() {
        Message m = withHeaders();
        m.setHeader("hubtransactionid", "t-1");
        HubHeaders.keepOnly(m, "hubTenantId,hubTransactionId");
        // kept in whatever case it was set (Camel reads header names in any case)
        assertEquals(2, m.getHeaders().size(), m.getHeaders().toString());
        assertEquals("acme", m.getHeader("hubTenantId"));
        assertEquals(true, names(m).contains("hubTransactionId"), m.getHeaders().toString());
    }

    @Test
    void aHeaderThatOnlyBeginsLikeOursIsOurs() {
        // the rule is the prefix, as the hub names its headers; shorter names are not ours
        assertEquals(true, HubHeaders.ours("hub"));
        assertEquals(true, HubHeaders.ours("HUBX"));
        assertEquals(false, HubHeaders.ours("hu"));
        assertEquals(false, HubHeaders.ours("X-Hub-Signature"));
    }
}
