package org.tradehub.edi;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.tradehub.ledger.Ledger;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The EDI stream end to end in the running hub: an interchange on hub.edi.interchanges.received (as the AS2 and file
 * channels put it there) becomes transactions through the intake pipeline, is kept as received, de-duplicated, and
 * acknowledged. Assertions are on what the hub records (ledger documents, interchange log, timelines), so they hold
 * whether or not a channel consumer drains hub.outbound.*.
 */
class EdiInterchangeFlowTest extends HubTestSupport {

    @Autowired
    ProducerTemplate producer;
    @Autowired
    org.springframework.jms.core.JmsTemplate jms;

    @Test
    void ordersD96aBecomesATransactionAndIsAcknowledgedOverTheChannelItCameOn() throws Exception {
        TestTenant tenant = newTenant();
        byte[] edi = resource("edi/fixtures/orders-d96a.edi");
        String receipt = send(tenant, "buyer-de", edi, "as2", "<msg-1@partner>");

        Map<String, Object> row = awaitInterchange(tenant, receipt);
        assertThat(row.get("status")).isEqualTo("ACCEPTED");
        assertThat(row.get("control_ref")).isEqualTo("IC0001");
        assertThat(row.get("as2_message_id")).isEqualTo("<msg-1@partner>");
        assertThat(document((String) row.get("document_id"))).isEqualTo(edi); // kept byte for byte
        String contrl = new String(document((String) row.get("ack_document_id")), StandardCharsets.ISO_8859_1);
        // no profile: we answer as the party the partner addressed
        assertThat(contrl).startsWith("UNA:+.? 'UNB+UNOC:3+4012345500004:14+5412345000013:14+")
                .contains("UCI+IC0001+5412345000013:14+4012345500004:14+7'", "UCM+M1+ORDERS:D:96A:UN+7'");

        JsonNode tx = awaitTransaction(tenant, "PO-4711", t -> t.path("timeline").size() >= 2);
        assertThat(jdbc.queryForObject("select source_partner from trade_transaction where tenant_id = ? and"
                + " external_id = 'PO-4711'", String.class, tenant.id())).isEqualTo("buyer-de");
    }

    @Test
    void aResendWithANewMessageIdCreatesNothingNewAndAReusedNumberWithOtherContentIsFlagged() throws Exception {
        TestTenant tenant = newTenant();
        byte[] edi = resource("edi/fixtures/orders-d96a.edi");
        String first = send(tenant, "buyer-de", edi, "as2", "<a@partner>");
        Map<String, Object> original = awaitInterchange(tenant, first);
        awaitTransaction(tenant, "PO-4711", t -> true);

        send(tenant, "buyer-de", edi, "as2", "<b@partner>");
        await(() -> ((Number) jdbc.queryForObject("select resends from edi_interchange where id = ?", Integer.class,
                original.get("id"))).intValue() == 1, "the resend to be recognised");
        assertThat(count("select count(*) from trade_transaction where tenant_id = ?", tenant.id())).isEqualTo(1);
        assertThat(count("select count(*) from document where tenant_id = ? and kind = 'CONTRL'", tenant.id()))
                .isEqualTo(1);

        // the partner reuses IC0001 for another order: a new interchange, flagged in the log and on the timeline
        byte[] other = new String(edi, StandardCharsets.ISO_8859_1).replace("PO-4711", "PO-4712")
                .getBytes(StandardCharsets.ISO_8859_1);
        Map<String, Object> reused = awaitInterchange(tenant, send(tenant, "buyer-de", other, "as2", "<c@partner>"));
        assertThat((String) reused.get("note")).contains("IC0001", "used before for different content");
        JsonNode tx = awaitTransaction(tenant, "PO-4712", t -> t.path("timeline").toString().contains("SOURCE_WARNING"));
        assertThat(tx.path("timeline").toString()).contains("reused interchange control number IC0001");
        assertThat(count("select count(*) from trade_transaction where tenant_id = ?", tenant.id())).isEqualTo(2);
    }

    @Test
    void aResentInterchangeIsAnsweredWithTheSameAcknowledgementAgainAndEachDeliveryCountsOnce() throws Exception {
        Received first = receivedOrdersD96a();
        TestTenant tenant = first.tenant();
        String channel = first.channel();
        byte[] edi = first.edi();
        Map<String, Object> original = first.row();
        byte[] contrl = first.contrl();

        // the partner did not get it and resends (new AS2 Message-ID): the same CONTRL goes again, byte for byte
        String resend = send(tenant, "buyer-de", edi, "as2", "<b@p>");
        assertThat(outboundAck(channel, "CONTRL")).isEqualTo(contrl);
        assertThat(jdbc.queryForObject("select resends from edi_interchange where id = ?", Integer.class,
                original.get("id"))).isEqualTo(1);
        // the same delivery again (a broker redelivery after a crash): answered again, but counted once
        producer.sendBodyAndHeaders("jms:queue:hub.edi.interchanges.received?exchangePattern=InOnly", edi, Map.of(
                "hubTenantId", tenant.id(), "hubPartnerId", "buyer-de", "hubChannel", "as2", "hubReceiptId", resend,
                "hubReceivedAt", java.time.Instant.now().toString()));
        assertThat(outboundAck(channel, "CONTRL")).isEqualTo(contrl);
        assertThat(count("select count(*) from edi_interchange_resend where interchange_id = ?", original.get("id")))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select resends from edi_interchange where id = ?", Integer.class,
                original.get("id"))).isEqualTo(1);
        assertThat(count("select count(*) from document where tenant_id = ? and kind = 'CONTRL'", tenant.id()))
                .isEqualTo(1);
        assertThat(count("select count(*) from trade_transaction where tenant_id = ?", tenant.id())).isEqualTo(1);
    }

    /**
     * An interchange recorded before V7 kept a hash of the hub's own reading of it, message XML included, whose shape
     * has changed since: resent after the upgrade (here by a translator that ends its segments with CRLF), it is still
     * a resend, answered with its stored CONTRL, and its order is not sent to intake again.
     */
    @Test
    void anInterchangeRecordedBeforeTheUpgradeIsAResendAfterIt() throws Exception {
        Received first = receivedOrdersD96a();
        TestTenant tenant = first.tenant();
        Map<String, Object> original = first.row();
        // the row as such a hub left it: its hash (over the earlier message XML, say), which the order's
        // de-duplication key carries too, and no content key
        String key = (String) original.get("content_sha256");
        assertThat(original.get("payload_sha256")).isEqualTo(key);
        String earlier = Ledger.sha256(resource("edi/message-xml-with-pos/orders-d96a.xml"));
        jdbc.update("update edi_interchange set payload_sha256 = ?, content_sha256 = null where id = ?", earlier,
                original.get("id"));
        assertThat(jdbc.update("update dedupe_key set dedupe_key = replace(dedupe_key, ?, ?) where tenant_id = ?",
                key.substring(0, 16), earlier.substring(0, 16), tenant.id())).isEqualTo(1);

        byte[] crlf = new String(first.edi(), StandardCharsets.ISO_8859_1).replace("\n", "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        send(tenant, "buyer-de", crlf, "as2", "<b@p>");
        assertThat(outboundAck(first.channel(), "CONTRL")).isEqualTo(first.contrl());
        await(() -> jdbc.queryForObject("select resends from edi_interchange where id = ?", Integer.class,
                original.get("id")) == 1, "the resend to be recognised");
        assertThat(count("select count(*) from edi_interchange where tenant_id = ?", tenant.id())).isEqualTo(1);
        assertThat(jdbc.queryForObject("select content_sha256 from edi_interchange where id = ?", String.class,
                original.get("id"))).isEqualTo(key);
        Thread.sleep(1000); // an order sent to intake again would be recorded as an update meanwhile
        JsonNode tx = awaitTransaction(tenant, "PO-4711", t -> true);
        assertThat(tx.path("timeline").toString()).doesNotContain("SOURCE_UPDATE", "SOURCE_WARNING");
        assertThat(count("select count(*) from document where tenant_id = ? and kind = 'order-raw'", tenant.id()))
                .isEqualTo(1);
    }

    @Test
    void eachInterchangeOfAPayloadIsDeduplicatedAndAcknowledgedOnItsOwn() throws Exception {
        TestTenant tenant = newTenant();
        String channel = buyerDeOnAProbeChannel(tenant, false);
        String first = new String(resource("edi/fixtures/orders-d96a.edi"), StandardCharsets.ISO_8859_1);
        String second = first.replace("IC0001", "IC0002").replace("PO-4711", "PO-4721");
        String third = first.replace("IC0001", "IC0003").replace("PO-4711", "PO-4731");
        String receipt = send(tenant, "buyer-de", (first + second).getBytes(StandardCharsets.ISO_8859_1), "as2", null);
        awaitInterchange(tenant, receipt);
        List<Map<String, Object>> rows = jdbc.queryForList("select * from edi_interchange where tenant_id = ? and"
                + " receipt_id = ? order by part_index", tenant.id(), receipt);
        assertThat(rows).extracting(r -> r.get("control_ref")).containsExactly("IC0001", "IC0002");
        assertThat(rows).extracting(r -> r.get("document_id")).containsOnly(rows.get(0).get("document_id"));
        String ack1 = new String(outboundAck(channel, "CONTRL"), StandardCharsets.ISO_8859_1);
        String ack2 = new String(outboundAck(channel, "CONTRL"), StandardCharsets.ISO_8859_1);
        assertThat(List.of(ack1, ack2)).anyMatch(a -> a.contains("UCI+IC0001+")).anyMatch(a -> a.contains("UCI+IC0002+"));
        awaitTransaction(tenant, "PO-4711", t -> true);
        awaitTransaction(tenant, "PO-4721", t -> true);

        // IC0002 again, bundled with a new IC0003: IC0002 is a resend (its CONTRL again), IC0003 is new
        String mixed = send(tenant, "buyer-de", (second + third).getBytes(StandardCharsets.ISO_8859_1), "as2", null);
        Map<String, Object> third3 = awaitInterchange(tenant, mixed);
        assertThat(third3.get("control_ref")).isEqualTo("IC0003");
        assertThat(third3.get("part_index")).isEqualTo(2);
        String again = new String(outboundAck(channel, "CONTRL"), StandardCharsets.ISO_8859_1);
        String fresh = new String(outboundAck(channel, "CONTRL"), StandardCharsets.ISO_8859_1);
        assertThat(List.of(again, fresh)).contains(ack1.contains("UCI+IC0002+") ? ack1 : ack2)
                .anyMatch(a -> a.contains("UCI+IC0003+"));
        assertThat(jdbc.queryForObject("select resends from edi_interchange where tenant_id = ? and control_ref ="
                + " 'IC0002'", Integer.class, tenant.id())).isEqualTo(1);
        awaitTransaction(tenant, "PO-4731", t -> true);
        assertThat(count("select count(*) from trade_transaction where tenant_id = ?", tenant.id())).isEqualTo(3);
    }

    @Test
    void oneBadMessageIsRejectedOnItsOwnAndTheGoodOneGoesOn() throws Exception {
        TestTenant tenant = newTenant();
        byte[] edi = AcknowledgementGoldenTest.GOOD_AND_BAD.getBytes(StandardCharsets.ISO_8859_1);
        Map<String, Object> row = awaitInterchange(tenant, send(tenant, "p1", edi, "sftp", null));
        assertThat(row.get("status")).isEqualTo("PARTIALLY_ACCEPTED");
        assertThat(row.get("rejected_messages")).isEqualTo(1);
        String contrl = new String(document((String) row.get("ack_document_id")), StandardCharsets.ISO_8859_1);
        assertThat(contrl).contains("UCM+1+ORDERS:D:96A:UN+7'", "UCM+2+ORDERS:D:96A:UN+4+29+UNT+1'");
        assertThat(document((String) row.get("document_id"))).isEqualTo(edi); // the bad one is kept with it
        awaitTransaction(tenant, "PO1", t -> true); // the good one reached the intake pipeline
        assertThat(count("select count(*) from trade_transaction where tenant_id = ?", tenant.id())).isEqualTo(1);
    }

    @Test
    void x12Order5010GetsA997WithTheProfilesIdentifiers() throws Exception {
        TestTenant tenant = newTenant();
        HttpResponse<String> put = putPartner(tenant.id(), "peach", """
                {"standard":"X12","ourId":"EXPORTERLTD","ourQualifier":"ZZ","theirId":"BUYERCO","theirQualifier":"ZZ",
                 "sendOrderResponses":false}""");
        assertThat(put.statusCode()).isEqualTo(200);
        Map<String, Object> row = awaitInterchange(tenant, send(tenant, "peach", resource("edi/fixtures/x12-850-5010.edi"),
                "as2", null));
        String ack = new String(document((String) row.get("ack_document_id")), StandardCharsets.ISO_8859_1);
        assertThat(ack).startsWith("ISA*00*          *00*          *ZZ*EXPORTERLTD    *ZZ*BUYERCO        *")
                .contains("GS*FA*EXPORTERLTD*BUYERCO*", "AK1*PO*907*005010~AK2*850*0001*005010~AK5*A~AK9*A*1*1*1~");
        // the order reaches the intake pipeline and is a valid transaction (X12 unit CA became Rec 20 NMP)
        JsonNode t = awaitTransaction(tenant, "PO-5010-1", x -> x.path("timeline").toString().contains("VALIDATED"));
        assertThat(t.get("status").asText()).isNotEqualTo("REJECTED");
        assertThat(jdbc.queryForObject("select source_format from trade_transaction where id = ?", String.class,
                t.get("id").asText())).isEqualTo("x12-850");
    }

    @Test
    void garbageAndTruncatedInterchangesAreRejectedKeptAndAcknowledged() throws Exception {
        TestTenant tenant = newTenant();
        putPartner(tenant.id(), "eu-buyer", """
                {"standard":"EDIFACT","ourId":"HUBGLN","ourQualifier":"14","theirId":"BUYERGLN","theirQualifier":"14"}""");
        byte[] garbage = "%PDF-1.7 not an interchange".getBytes(StandardCharsets.US_ASCII);
        Map<String, Object> g = awaitInterchange(tenant, send(tenant, "eu-buyer", garbage, "as2", null));
        assertThat(g.get("status")).isEqualTo("REJECTED");
        assertThat(document((String) g.get("document_id"))).isEqualTo(garbage);
        assertThat(new String(document((String) g.get("ack_document_id")), StandardCharsets.ISO_8859_1))
                .contains("UNB+UNOC:3+HUBGLN:14+BUYERGLN:14+", "UCI+UNKNOWN+BUYERGLN:14+HUBGLN:14+4+12'");

        byte[] truncated = AcknowledgementGoldenTest.TRUNCATED.getBytes(StandardCharsets.ISO_8859_1);
        Map<String, Object> t = awaitInterchange(tenant, send(tenant, "eu-buyer", truncated, "as2", null));
        assertThat(t.get("status")).isEqualTo("PARTIALLY_ACCEPTED");
        assertThat(new String(document((String) t.get("ack_document_id")), StandardCharsets.ISO_8859_1))
                .contains("UCI+REF1+S:14+R:14+7+13+UNZ'", "UCM+1+ORDERS:D:96A:UN+7'", "UCM+2+ORDERS:D:96A:UN+4+13+UNT'");
        awaitTransaction(tenant, "PO1", x -> true);
    }

    @Test
    void aPartnerWhoDeclinedAcknowledgementsGetsNoneAndUblOrdersNeedNone() throws Exception {
        TestTenant tenant = newTenant();
        putPartner(tenant.id(), "quiet", """
                {"standard":"EDIFACT","ourId":"HUB","theirId":"QUIET","sendAcknowledgements":false}""");
        Map<String, Object> row = awaitInterchange(tenant, send(tenant, "quiet", resource("edi/fixtures/orders-d96a.edi"),
                "as2", null));
        assertThat(row.get("ack_document_id")).isNull();
        awaitTransaction(tenant, "PO-4711", t -> true);

        Map<String, Object> ubl = awaitInterchange(tenant, send(tenant, "quiet",
                resource("samples/ubl/UBL-Order-2.1-Example.xml"), "as2", null));
        assertThat(ubl.get("standard")).isEqualTo("XML");
        assertThat(ubl.get("ack_document_id")).isNull();
        awaitTransaction(tenant, "34", t -> true);
    }

    @Test
    void theAdminApiChecksPartnerOptions() throws Exception {
        TestTenant tenant = newTenant();
        assertThat(putPartner(tenant.id(), "x", "{\"standard\":\"EDI\",\"ourId\":\"A\",\"theirId\":\"B\"}").statusCode())
                .isEqualTo(400);
        assertThat(putPartner(tenant.id(), "x", """
                {"standard":"X12","ourId":"THIS-ID-IS-TOO-LONG","theirId":"B"}""").statusCode()).isEqualTo(400);
        assertThat(putPartner("no-such-tenant", "x", "{\"standard\":\"X12\",\"ourId\":\"A\",\"theirId\":\"B\"}")
                .statusCode()).isEqualTo(404);
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/admin/tenants/" + tenant.id()
                + "/edi-partners/x")).header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(404);
        HttpResponse<String> noToken = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/admin/tenants/"
                + tenant.id() + "/edi-partners/x")).PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
    }

    @Test
    void declarationGoesAsCusdecOnceARedeliveryResendsTheSameBytesAndTheSingleWindowsAnswersLandOnTheTimeline()
            throws Exception {
        TestTenant tenant = newTenant();
        String channel = probeChannel();
        putPartner(tenant.id(), "sw", """
                {"standard":"EDIFACT","ourId":"GB427168118378","ourQualifier":"ZZZ","theirId":"SINGLEWINDOW",
                 "theirQualifier":"ZZZ","channel":"%s"}""".formatted(channel));
        HttpResponse<String> settings = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/admin/tenants/"
                        + tenant.id() + "/edi-settings")).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"cusdecPartnerId\":\"sw\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(settings.statusCode()).isEqualTo(200);
        String orderId = String.valueOf(9_007_199_254_740_993L + System.nanoTime() % 1_000_000_000L);
        byte[] body = new String(resource("webhooks/shopify/orders-create-2024-07.json"), StandardCharsets.UTF_8)
                .replaceFirst("\"id\":\\s*\\d+", "\"id\": " + orderId).getBytes(StandardCharsets.UTF_8);
        assertThat(postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null).statusCode())
                .isEqualTo(202);
        JsonNode t = awaitTransaction(tenant, orderId, x -> x.get("status").asText().equals("DECLARATION_SUBMITTED"));
        String transactionId = t.get("id").asText();
        Map<String, Object> declaration = jdbc.queryForMap("select lrn, document_id from declaration where"
                + " transaction_id = ? and target = 'cusdec-as2'", transactionId);
        String lrn = (String) declaration.get("lrn");
        // what is queued for the single window's channel is what the ledger recorded
        byte[] sent = outbound(channel, "CUSDEC", transactionId);
        String cusdec = new String(sent, StandardCharsets.ISO_8859_1);
        assertThat(cusdec).contains("UNB+UNOC:3+GB427168118378:ZZZ+SINGLEWINDOW:ZZZ+", "UNH+1+CUSDEC:D:96B:UN'",
                "BGM+830+" + lrn + "+9'", "RFF+ABE:" + lrn + "'");
        // the plan's declaration step moves with it, as for a declaration to CDS
        assertThat(declarationStep(transactionId)).isEqualTo("SENT");
        String icn = (String) jdbc.queryForMap("select control_ref from edi_outbound where transaction_id = ?",
                transactionId).get("control_ref");

        // the crash window: the hub recorded the CUSDEC as submitted, then stopped before the queue commit, so the
        // CUSDEC never reached the channel (taken off the queue above) and the broker redelivers the declaration
        // message. The stored bytes go again, same LRN and interchange reference; nothing is built twice.
        producer.sendBodyAndHeader("jms:queue:hub.declarations.cusdec-as2?exchangePattern=InOnly", "",
                "hubTransactionId", transactionId);
        assertThat(outbound(channel, "CUSDEC", transactionId)).isEqualTo(sent);
        assertThat(count("select count(*) from document where transaction_id = ? and kind = 'CUSDEC'", transactionId))
                .isEqualTo(1);
        assertThat(count("select count(*) from edi_outbound where transaction_id = ? and control_ref = ?",
                transactionId, icn)).isEqualTo(1);
        assertThat(count("select count(*) from transaction_event where transaction_id = ? and type = 'EDI_RESENT'",
                transactionId)).isEqualTo(1);

        // the single window refuses the second copy as a duplicate (CONTRL: interchange rejected, syntax error 26
        // "duplicate detected"): it has the first, so this is no rejection of the CUSDEC
        String duplicate = "UNA:+.? 'UNB+UNOC:3+SINGLEWINDOW:ZZZ+GB427168118378:ZZZ+250314:1059+SW76'"
                + "UNH+1+CONTRL:D:3:UN'UCI+" + icn + "+GB427168118378:ZZZ+SINGLEWINDOW:ZZZ+4+26'UNT+3+1'UNZ+1+SW76'";
        assertThat(awaitInterchange(tenant, send(tenant, "sw", duplicate.getBytes(StandardCharsets.ISO_8859_1), "as2",
                null)).get("note")).isNull();
        await(() -> count("select count(*) from transaction_event where transaction_id = ? and type ="
                + " 'EDI_DUPLICATE_REFUSED' and summary like '%syntax error 26: duplicate detected%'", transactionId)
                == 1, "the duplicate refusal on the timeline, its code explained");
        assertThat(count("select count(*) from transaction_event where transaction_id = ? and type ="
                + " 'EDI_REJECTED_BY_PARTNER'", transactionId)).isZero();
        assertThat(declarationStep(transactionId)).isEqualTo("SENT");
        // with a message of it rejected as well, the single window could not read the CUSDEC: the declaration is
        // refused, as a CDS HTTP 4xx refuses one, and the firm must act on it
        String rejected = "UNA:+.? 'UNB+UNOC:3+SINGLEWINDOW:ZZZ+GB427168118378:ZZZ+250314:1059+SW75'"
                + "UNH+1+CONTRL:D:3:UN'UCI+" + icn + "+GB427168118378:ZZZ+SINGLEWINDOW:ZZZ+4+26'"
                + "UCM+1+CUSDEC:D:96B:UN+4+12'UNT+4+1'UNZ+1+SW75'";
        assertThat(awaitInterchange(tenant, send(tenant, "sw", rejected.getBytes(StandardCharsets.ISO_8859_1), "as2",
                null)).get("note")).isNull();
        await(() -> count("select count(*) from transaction_event where transaction_id = ? and type ="
                + " 'EDI_REJECTED_BY_PARTNER'", transactionId) == 1, "the rejection on the timeline");
        JsonNode refused = awaitTransaction(tenant, orderId,
                x -> x.get("status").asText().equals("DECLARATION_REJECTED"));
        assertThat(refused.path("timeline").toString()).contains("DECLARATION_REFUSED",
                "The single window rejected the CUSDEC's interchange " + icn);
        assertThat(declarationStep(transactionId)).isEqualTo("REJECTED");
        assertThat(jdbc.queryForObject("select status from declaration where transaction_id = ? and target ="
                + " 'cusdec-as2'", String.class, transactionId)).isEqualTo("REFUSED");
        // a redelivery of the declaration now sends nothing: the same CUSDEC would be refused again
        producer.sendBodyAndHeader("jms:queue:hub.declarations.cusdec-as2?exchangePattern=InOnly", "",
                "hubTransactionId", transactionId);
        await(() -> count("select attempts from declaration where transaction_id = ? and target = 'cusdec-as2'",
                transactionId) == 3, "the third attempt");
        jms.setReceiveTimeout(500);
        assertThat(jms.receiveSelected("hub.outbound." + channel, "hubDocumentType = 'CUSDEC'")).isNull();

        // a single window that answers the refused declaration with a decision after all: the decision is what the
        // firm acts on. It acknowledges the interchange (CONTRL) and accepts the declaration (CUSRES)
        String answer = "UNA:+.? 'UNB+UNOC:3+SINGLEWINDOW:ZZZ+GB427168118378:ZZZ+250314:1100+SW77'"
                + "UNH+1+CONTRL:D:3:UN'UCI+" + icn + "+GB427168118378:ZZZ+SINGLEWINDOW:ZZZ+7'UNT+3+1'"
                + "UNH+2+CUSRES:D:96B:UN'BGM+962+24GB0000000000001+9+AP'RFF+ABE:" + lrn + "'UNT+4+2'UNZ+2+SW77'";
        Map<String, Object> row = awaitInterchange(tenant, send(tenant, "sw",
                answer.getBytes(StandardCharsets.ISO_8859_1), "as2", null));
        assertThat(row.get("note")).isNull();
        JsonNode accepted = awaitTransaction(tenant, orderId,
                x -> x.get("status").asText().equals("DECLARATION_ACCEPTED"));
        assertThat(accepted.path("timeline").toString()).contains("EDI_ACKNOWLEDGED", "MRN 24GB0000000000001");
        assertThat(declarationStep(transactionId)).isEqualTo("ACCEPTED");
        assertThat(jdbc.queryForObject("select status from declaration where transaction_id = ? and target ="
                + " 'cusdec-as2'", String.class, transactionId)).isEqualTo("ACCEPTED");
        // the CUSRES is acknowledged in turn (the CONTRL in the same interchange is not: acknowledgements never are)
        String contrl = new String(document((String) row.get("ack_document_id")), StandardCharsets.ISO_8859_1);
        assertThat(contrl).contains("UCM+2+CUSRES:D:96B:UN+7'").doesNotContain("UCM+1+CONTRL");

        // once decided, a CONTRL rejecting the interchange late is its timeline event only: the decision stands
        String late = rejected.replace("SW75", "SW78");
        assertThat(awaitInterchange(tenant, send(tenant, "sw", late.getBytes(StandardCharsets.ISO_8859_1), "as2",
                null)).get("note")).isNull();
        await(() -> count("select count(*) from transaction_event where transaction_id = ? and type ="
                + " 'EDI_REJECTED_BY_PARTNER'", transactionId) == 2, "the late rejection on the timeline");
        assertThat(awaitTransaction(tenant, orderId, x -> true).get("status").asText()).isEqualTo("DECLARATION_ACCEPTED");
        assertThat(declarationStep(transactionId)).isEqualTo("ACCEPTED");
        assertThat(count("select count(*) from transaction_event where transaction_id = ? and type ="
                + " 'DECLARATION_REFUSED'", transactionId)).isEqualTo(1);

        // once answered, a further message for the declaration (a replay) sends nothing
        producer.sendBodyAndHeader("jms:queue:hub.declarations.cusdec-as2?exchangePattern=InOnly", "",
                "hubTransactionId", transactionId);
        await(() -> count("select attempts from declaration where transaction_id = ? and target = 'cusdec-as2'",
                transactionId) == 4, "the fourth attempt");
        assertThat(jms.receiveSelected("hub.outbound." + channel, "hubDocumentType = 'CUSDEC'")).isNull();
    }

    @Test
    void anEdifactBuyerWhoWantsOrderResponsesGetsAnOrdrspForAnAcceptedAndForARejectedOrder() throws Exception {
        TestTenant tenant = newTenant();
        String channel = buyerDeOnAProbeChannel(tenant, true);
        send(tenant, "buyer-de", resource("edi/fixtures/orders-d96a.edi"), "as2", null);
        JsonNode accepted = awaitTransaction(tenant, "PO-4711",
                t -> t.path("timeline").toString().contains("ORDER_RESPONSE_SENT"));
        assertThat(accepted.get("status").asText()).isNotEqualTo("REJECTED");
        String ordrsp = new String(outbound(channel, "ORDRSP", accepted.get("id").asText()), StandardCharsets.ISO_8859_1);
        // answers the order: its number and lines, the interchange ids swapped, D96A like the order
        assertThat(ordrsp).startsWith("UNA:+.? 'UNB+UNOC:3+4012345500004:14+5412345000013:14+")
                .contains("UNH+1+ORDRSP:D:96A:UN'", "+29+AP'", "RFF+ON:PO-4711'", "LIN+1+5+4000862141404:SRS'",
                        "QTY+21:48:PCE'", "CNT+2:2'");
        assertThat(count("select count(*) from document where transaction_id = ? and kind = 'ORDRSP'",
                accepted.get("id").asText())).isEqualTo(1);

        // a bad order (a currency that does not exist) is answered "not accepted" with the reason
        byte[] bad = new String(resource("edi/fixtures/orders-d96a.edi"), StandardCharsets.ISO_8859_1)
                .replace("PO-4711", "PO-4713").replace("IC0001", "IC0003").replace("CUX+2:EUR:9", "CUX+2:EUX:9")
                .getBytes(StandardCharsets.ISO_8859_1);
        send(tenant, "buyer-de", bad, "as2", null);
        // a rejected order the template could read keeps the buyer's order number, so a corrected resend finds it
        JsonNode rejected = awaitTransaction(tenant, "PO-4713",
                t -> t.path("timeline").toString().contains("ORDER_RESPONSE_SENT"));
        assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
        String notAccepted = new String(outbound(channel, "ORDRSP", rejected.get("id").asText()),
                StandardCharsets.ISO_8859_1);
        assertThat(notAccepted).contains("BGM+231+", "+27+RE'", "RFF+ON:PO-4713'", "LIN+1+7+")
                .contains("FTX+AAO+++InvoiceCurrencyCode ?'EUX?' is not a current ISO 4217 currency code");
    }

    @Test
    void anX12BuyerGetsA4010855AndAPartnerWithoutTheOptionGetsNone() throws Exception {
        TestTenant tenant = newTenant();
        Answered855 answered = x12OrderAnsweredWith855(tenant);
        JsonNode t = answered.transaction();
        String x855 = answered.x855();
        boolean accepted = !t.get("status").asText().equals("REJECTED");
        assertThat(x855).startsWith("ISA*00*          *00*          *ZZ*PARTNERID      *01*000123456      *")
                .contains("*U*00401*", "GS*PR*PARTNERID*000123456*", "*X*004010~ST*855*0001~",
                        "BAK*00*" + (accepted ? "AD" : "RJ") + "*1000012*20090827*");

        // the same order from a partner who did not ask for order responses: none
        TestTenant quiet = newTenant();
        putPartner(quiet.id(), "edinet", """
                {"standard":"X12","ourId":"PARTNERID","theirId":"000123456","sendOrderResponses":false}""");
        send(quiet, "edinet", resource("samples/x12/edinet__x12.850.edi"), "as2", null);
        JsonNode none = awaitTransaction(quiet, "1000012", x -> x.path("timeline").size() >= 2);
        Thread.sleep(300);
        assertThat(count("select count(*) from document where transaction_id = ? and kind in ('855', 'ORDRSP')",
                none.get("id").asText())).isZero();
    }

    /**
     * An X12 partner answers our interchange (an 855 here) with a TA1 (interchange acknowledgement, ISA13 quoted in
     * TA101) or a 999 instead of a 997: each lands on the transaction's timeline like a 997 does, a TA1 refusing a
     * duplicate (TA105 025) as EDI_DUPLICATE_REFUSED, and none of them is acknowledged back.
     */
    @Test
    void anX12PartnersTa1And999AnswersLandOnTheTimelineAndAreNotAcknowledged() throws Exception {
        TestTenant tenant = newTenant();
        Answered855 answered = x12OrderAnsweredWith855(tenant);
        String transactionId = answered.transaction().get("id").asText();
        String icn = answered.x855().split("\\*")[13];
        String isa = "ISA*00*          *00*          *01*000123456      *ZZ*PARTNERID      *091224*1200*U*00401*%s*0*T*>~";

        // the partner received our interchange twice (a transport retry) and refuses the second copy
        String duplicate = send(tenant, "edinet", (isa.formatted("000000901") + "TA1*" + icn + "*091224*1200*R*025~"
                + "IEA*0*000000901~").getBytes(StandardCharsets.ISO_8859_1), "as2", null);
        await(() -> count("select count(*) from transaction_event where transaction_id = ? and type ="
                + " 'EDI_DUPLICATE_REFUSED'", transactionId) == 1, "the TA1's duplicate refusal on the timeline");
        // its envelope in error: rejected
        send(tenant, "edinet", (isa.formatted("000000902") + "TA1*" + icn + "*091224*1200*R*022~IEA*0*000000902~")
                .getBytes(StandardCharsets.ISO_8859_1), "as2", null);
        await(() -> count("select count(*) from transaction_event where transaction_id = ? and type ="
                + " 'EDI_REJECTED_BY_PARTNER' and summary like '%TA1 (TA104 R, note 022: invalid control structure)%'",
                transactionId) == 1, "the TA1's rejection, its note explained");
        // a TA1 accepting it: acknowledged
        send(tenant, "edinet", (isa.formatted("000000904") + "TA1*" + icn + "*091224*1200*A*000~IEA*0*000000904~")
                .getBytes(StandardCharsets.ISO_8859_1), "as2", null);
        await(() -> count("select count(*) from transaction_event where transaction_id = ? and type ="
                + " 'EDI_ACKNOWLEDGED' and summary like '%TA1%'", transactionId) == 1, "the TA1's acknowledgement");
        // a 999 (implementation acknowledgement) rejecting the 855's group
        send(tenant, "edinet", (isa.formatted("000000903") + "GS*FA*000123456*PARTNERID*20091224*1200*903*X*005010X231A1~"
                + "ST*999*0001*005010X231A1~AK1*PR*" + Long.parseLong(icn) + "*004010~AK2*855*0001~IK5*R*5~"
                + "AK9*R*1*1*0~SE*6*0001~GE*1*903~IEA*1*000000903~").getBytes(StandardCharsets.ISO_8859_1), "as2", null);
        await(() -> count("select count(*) from transaction_event where transaction_id = ? and type ="
                + " 'EDI_REJECTED_BY_PARTNER' and summary like '%999%'", transactionId) == 1, "the 999's rejection");

        // a TA1 about an interchange the hub never sent: kept, with a note saying so; no timeline is touched
        Map<String, Object> stray = awaitInterchange(tenant, send(tenant, "edinet", (isa.formatted("000000905")
                + "TA1*987654321*091224*1200*R*022~IEA*0*000000905~").getBytes(StandardCharsets.ISO_8859_1), "as2",
                null));
        assertThat((String) stray.get("note")).contains("TA1 for interchange 987654321, which the hub did not send");
        assertThat(count("select count(*) from transaction_event where transaction_id = ? and type like 'EDI_%'"
                + " and summary like '%987654321%'", transactionId)).isZero();

        Map<String, Object> row = awaitInterchange(tenant, duplicate);
        assertThat(row.get("status")).isEqualTo("ACCEPTED");
        assertThat(row.get("ack_document_id")).as("a TA1 is not acknowledged").isNull();
        assertThat(count("select count(*) from edi_interchange where tenant_id = ? and ack_document_id is not null"
                + " and control_ref like '00000090%'", tenant.id())).isZero();
        assertThat(count("select count(*) from edi_interchange where tenant_id = ? and status = 'ACCEPTED'"
                + " and control_ref like '00000090%'", tenant.id())).isEqualTo(5);
    }

    // ------------------------------------------------------------------ helpers

    /** Partner buyer-de (the ORDERS fixture's sender) with a probe channel of its own; returns the channel. */
    String buyerDeOnAProbeChannel(TestTenant tenant, boolean orderResponses) throws Exception {
        String channel = probeChannel();
        assertThat(putPartner(tenant.id(), "buyer-de", """
                {"standard":"EDIFACT","ourId":"4012345500004","ourQualifier":"14","theirId":"5412345000013",
                 "theirQualifier":"14","channel":"%s","sendOrderResponses":%s}""".formatted(channel, orderResponses))
                .statusCode()).isEqualTo(200);
        return channel;
    }

    /** The 850 sample of partner edinet, who asked for order responses on a probe channel, and the 855 it got. */
    record Answered855(JsonNode transaction, String x855) {
    }

    Answered855 x12OrderAnsweredWith855(TestTenant tenant) throws Exception {
        String channel = probeChannel();
        putPartner(tenant.id(), "edinet", """
                {"standard":"X12","ourId":"PARTNERID","ourQualifier":"ZZ","theirId":"000123456","theirQualifier":"01",
                 "channel":"%s","sendOrderResponses":true}""".formatted(channel));
        send(tenant, "edinet", resource("samples/x12/edinet__x12.850.edi"), "as2", null);
        JsonNode t = awaitTransaction(tenant, "1000012", x -> x.path("timeline").toString().contains("ORDER_RESPONSE_SENT"));
        return new Answered855(t, new String(outbound(channel, "855", t.get("id").asText()), StandardCharsets.ISO_8859_1));
    }

    /** A channel of its own per test: nothing else consumes hub.outbound.probe-*, so the test reads what was queued. */
    static String probeChannel() {
        return "probe-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The next document of the type for the transaction on hub.outbound.&lt;channel&gt;, with the contract's headers. */
    byte[] outbound(String channel, String documentType, String transactionId) throws Exception {
        jms.setReceiveTimeout(20_000);
        jakarta.jms.Message m = jms.receiveSelected("hub.outbound." + channel, "hubDocumentType = '" + documentType
                + "' and hubTransactionId = '" + transactionId + "'");
        assertThat(m).as(documentType + " on hub.outbound." + channel).isNotNull();
        assertThat(m.getStringProperty("hubDocumentId")).isNotBlank();
        assertThat(m.getStringProperty("hubContentType")).startsWith("application/EDI");
        byte[] body = m.getBody(byte[].class);
        assertThat(document(m.getStringProperty("hubDocumentId"))).isEqualTo(body); // what was recorded is what is sent
        return body;
    }

    /** An ORDERS D96A interchange from buyer-de, recorded, its CONTRL taken from the probe channel, its order mapped. */
    record Received(TestTenant tenant, String channel, byte[] edi, Map<String, Object> row, byte[] contrl) {
    }

    Received receivedOrdersD96a() throws Exception {
        TestTenant tenant = newTenant();
        String channel = buyerDeOnAProbeChannel(tenant, false);
        byte[] edi = resource("edi/fixtures/orders-d96a.edi");
        Map<String, Object> row = awaitInterchange(tenant, send(tenant, "buyer-de", edi, "as2", "<a@p>"));
        byte[] contrl = outboundAck(channel, "CONTRL");
        awaitTransaction(tenant, "PO-4711", t -> true);
        return new Received(tenant, channel, edi, row, contrl);
    }

    /** The next acknowledgement of the type on hub.outbound.&lt;channel&gt;. */
    byte[] outboundAck(String channel, String documentType) throws Exception {
        jms.setReceiveTimeout(20_000);
        jakarta.jms.Message m = jms.receiveSelected("hub.outbound." + channel, "hubDocumentType = '" + documentType + "'");
        assertThat(m).as(documentType + " on hub.outbound." + channel).isNotNull();
        return m.getBody(byte[].class);
    }

    /** Puts an interchange on the queue the way the AS2 and file channels do; returns its receipt id. */
    String send(TestTenant tenant, String partner, byte[] body, String channel, String as2MessageId) {
        String receipt = UUID.randomUUID().toString();
        Map<String, Object> headers = new HashMap<>();
        headers.put("hubTenantId", tenant.id());
        headers.put("hubPartnerId", partner);
        headers.put("hubChannel", channel);
        headers.put("hubReceiptId", receipt);
        headers.put("hubReceivedAt", java.time.Instant.now().toString());
        if (as2MessageId != null) {
            headers.put("hubAs2MessageId", as2MessageId);
        }
        producer.sendBodyAndHeaders("jms:queue:hub.edi.interchanges.received?exchangePattern=InOnly", body, headers);
        return receipt;
    }

    static HttpResponse<String> putPartner(String tenant, String partner, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/admin/tenants/" + tenant + "/edi-partners/"
                        + partner)).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    Map<String, Object> awaitInterchange(TestTenant tenant, String receipt) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> rows = jdbc.queryForList("select * from edi_interchange where tenant_id = ? and"
                    + " receipt_id = ? order by part_index", tenant.id(), receipt);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            Thread.sleep(50);
        }
        return fail("interchange " + receipt + " was not recorded");
    }

    String declarationStep(String transactionId) {
        return jdbc.queryForObject("select state from plan_step where transaction_id = ? and service ="
                + " 'export-declaration'", String.class, transactionId);
    }

    byte[] document(String id) {
        return jdbc.queryForObject("select content from document where id = ?", byte[].class, id);
    }

    int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }

    static void await(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        fail("timed out waiting for " + what);
    }
}
