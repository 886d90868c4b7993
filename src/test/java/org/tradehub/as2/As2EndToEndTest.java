package org.tradehub.as2;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tradehub.as2.As2Peer.Compression;
import org.tradehub.as2.As2Peer.Receipt;
import org.tradehub.as2.As2Peer.Security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Through both libraries: a buyer on as2-lib 5.1.7 sends an EDIFACT ORDERS interchange signed and encrypted to the
 * hub and gets a signed synchronous MDN; the EDI stream and the intake pipeline turn its good message into a
 * transaction; the CONTRL (the good message accepted, the bad one rejected on its own) goes back over AS2 from
 * hub.outbound.as2 to the buyer's as2-lib receiver, which decrypts and verifies it and answers with a signed MDN the
 * hub verifies. A resend under a new Message-ID is answered positively and creates nothing new.
 */
class As2EndToEndTest extends As2HubTest {

    static final TestPki.Identity BUYER = TestPki.identity("e2e-buyer", Duration.ofDays(365));
    static As2LibReceiver receiver;

    @AfterAll
    static void stop() throws Exception {
        if (receiver != null) {
            receiver.close();
        }
    }

    /** The ORDERS fixture (PO-4711, message M1) and a second message whose UNT count is wrong (M2). */
    static byte[] goodAndBadInterchange() {
        String fixture = new String(resource("edi/fixtures/orders-d96a.edi"), StandardCharsets.ISO_8859_1);
        String bad = "UNH+M2+ORDERS:D:96A:UN'\nBGM+220+PO-4712+9'\nUNT+9+M2'\n";
        return fixture.replace("UNZ+1+IC0001'", bad + "UNZ+2+IC0001'").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void ordersFromAnAs2LibBuyerBecomeATransactionAndItsContrlGoesBackOverAs2() throws Exception {
        trust(Map.of("e2e-buyer", BUYER.certificate()));
        TestTenant tenant = newTenant();
        receiver = new As2LibReceiver(BUYER, HUB_KEY.certificate());
        receiver.expect("E2E-BUYER", new As2LibReceiver.Expect(true, true, false));
        putProfile("e2e-buyer", outboundProfile(tenant.id(), "E2E-BUYER", receiver.url(), "e2e-buyer", Map.of(
                "requireSignature", true, "requireEncryption", true, "mdnMode", "sync", "mdnSigned", true)));
        As2Peer buyer = new As2Peer("E2E-BUYER", BUYER, HUB_KEY.certificate());
        byte[] interchange = goodAndBadInterchange();

        As2Peer.Result sent = buyer.send(url(), HUB, interchange, "application/edifact", Security.SIGNED_ENCRYPTED,
                Receipt.SIGNED, Compression.NONE, null, true);
        assertThat(sent.disposition()).endsWith("processed");
        assertEquals(HUB_KEY.certificate(), sent.response().getMDNVerificationCertificate(), "as2-lib verified our MDN");
        assertNull(sent.micMismatch());
        assertEquals(sent.micSent(), sent.micMatched());

        // the good message is a transaction; the bad one is not
        awaitTransaction(tenant, "PO-4711", t -> true);
        assertEquals(1, jdbc.queryForObject("select count(*) from trade_transaction where tenant_id = ?", Integer.class,
                tenant.id()));

        // the CONTRL comes back over AS2; as2-lib decrypted it and verified our signature
        As2LibReceiver.Received contrl = receiver.next("E2E-BUYER", 30_000);
        assertNotNull(contrl, "the CONTRL reached the buyer's as2-lib receiver");
        assertThat(contrl.signed()).isTrue();
        assertThat(contrl.encrypted()).isTrue();
        assertThat(new String(contrl.payload(), StandardCharsets.ISO_8859_1)).contains("UNH+1+CONTRL:D:3:UN'",
                "UCI+IC0001+5412345000013:14+4012345500004:14+7'", "UCM+M1+ORDERS:D:96A:UN+7'",
                "UCM+M2+ORDERS:D:96A:UN+4+29+UNT+1'");
        // and the hub verified the buyer's signed MDN for it
        awaitDelivered(contrl.messageId());

        // a resend of the same interchange under a new Message-ID: positive MDN, no new transaction, and the stored
        // CONTRL once more (a partner resends because it never got our acknowledgement)
        As2Peer.Result resent = buyer.send(url(), HUB, interchange, "application/edifact", Security.SIGNED_ENCRYPTED,
                Receipt.SIGNED, Compression.NONE, null, true);
        assertThat(resent.disposition()).endsWith("processed");
        assertThat(resent.response().getOriginalMessageID()).isNotEqualTo(sent.response().getOriginalMessageID());
        awaitTrue(() -> jdbc.queryForObject("select resends from edi_interchange where tenant_id = ?", Integer.class,
                tenant.id()) == 1, "the resend to be recognised");
        assertEquals(1, jdbc.queryForObject("select count(*) from trade_transaction where tenant_id = ?", Integer.class,
                tenant.id()));
        As2LibReceiver.Received again = receiver.next("E2E-BUYER", 30_000);
        assertNotNull(again, "the stored CONTRL went back again");
        assertThat(again.payload()).isEqualTo(contrl.payload());
        assertNull(receiver.next("E2E-BUYER", 2_000), "no third CONTRL");
    }

    private void awaitDelivered(String messageId) throws Exception {
        awaitTrue(() -> "DELIVERED".equals(jdbc.queryForList("select status from as2_message where direction = 'OUT'"
                + " and message_id = ?", String.class, messageId).stream().findFirst().orElse(null)),
                "the hub to verify the MDN for " + messageId);
        assertThat(jdbc.queryForObject("select disposition from as2_message where message_id = ?", String.class,
                messageId)).endsWith("processed");
    }
}
