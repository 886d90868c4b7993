package org.tradehub.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tradehub.singlewindow.DmsNotification;
import org.tradehub.singlewindow.DmsNotificationReader;
import org.tradehub.xml.SafeXml;

import com.sun.net.httpserver.HttpServer;

class SandboxSingleWindowTest {

    private static final String DECLARATION = "src/test/resources/golden/dms-export/export-multi-line-ship-to.dms.xml";

    record Received(Map<String, String> headers, byte[] body) {
    }

    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private HttpServer hub;
    private SandboxSingleWindow sandbox;
    private int failuresToSimulate;

    @BeforeEach
    void start() throws Exception {
        hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/notifications", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status;
            synchronized (this) {
                status = failuresToSimulate-- > 0 ? 503 : 202;
            }
            if (status == 202) {
                Map<String, String> headers = new HashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
                received.add(new Received(headers, body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        hub.start();
        URI callback = URI.create("http://127.0.0.1:" + hub.getAddress().getPort() + "/notifications");
        sandbox = new SandboxSingleWindow(Path.of("mappings/schemas"), "hub-token", callback, "callback-token",
                Duration.ofMillis(50));
    }

    @AfterEach
    void stop() {
        sandbox.close();
        hub.stop(0);
    }

    private static Map<String, String> headers() {
        Map<String, String> h = new HashMap<>();
        h.put("Accept", "application/vnd.hmrc.1.0+xml");
        h.put("Content-Type", "application/xml; charset=UTF-8");
        h.put("Authorization", "Bearer hub-token");
        h.put("X-Badge-Identifier", "ABC123");
        return h;
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> h = headers();
        if (value == null) {
            h.remove(name);
        } else {
            h.put(name, value);
        }
        return h;
    }

    private static byte[] declaration() throws Exception {
        return Files.readAllBytes(Path.of(DECLARATION));
    }

    @Test
    void headerContract() throws Exception {
        byte[] body = declaration();
        assertEquals(406, sandbox.submit(with("Accept", "application/xml"), body).status());
        assertEquals(415, sandbox.submit(with("Content-Type", "text/xml"), body).status());
        assertEquals(401, sandbox.submit(with("Authorization", "Bearer wrong"), body).status());
        assertEquals(401, sandbox.submit(with("Authorization", null), body).status());
        assertEquals(400, sandbox.submit(with("X-Badge-Identifier", "abc"), body).status());
        assertEquals(400, sandbox.submit(with("X-Badge-Identifier", null), body).status());
        Map<String, String> submitter = with("X-Badge-Identifier", null);
        submitter.put("x-submitter-identifier", "GB123456789000");
        assertEquals(202, sandbox.submit(submitter, body).status());
        submitter.put("x-submitter-identifier", "GB-123");
        SandboxResponse bad = sandbox.submit(submitter, body);
        assertEquals(400, bad.status());
        assertErrorBodyValid(bad.bodyAsString());
    }

    @Test
    void invalidPayloadGets400WithSchemaValidErrorBody() throws Exception {
        byte[] invalid = Files.readAllBytes(Path.of("src/test/resources/hmrc-cds/examples/example_submission_declaration_400.xml"));
        SandboxResponse r = sandbox.submit(headers(), invalid);
        assertEquals(400, r.status());
        assertNull(r.conversationId());
        String body = r.bodyAsString();
        assertTrue(body.contains("<code>BAD_REQUEST</code>"), body);
        assertTrue(body.contains("<code>xml_validation_error</code>"), body);
        assertTrue(body.contains("unknown"), body);
        assertTrue(body.contains("Payload is not valid according to schema"), body);
        assertTrue(body.contains("Error at line "), "each schema error says where it is: " + body);
        assertErrorBodyValid(body);

        SandboxResponse notXml = sandbox.submit(headers(), "<!DOCTYPE x [<!ENTITY e 'e'>]><x>&e;</x>".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, notXml.status());
        assertErrorBodyValid(notXml.bodyAsString());
        assertTrue(notXml.bodyAsString().contains("does not contain a well-formed XML document"), notXml.bodyAsString());
        // cut off mid-document: not well-formed, even though what came before it was valid so far
        byte[] valid = declaration();
        SandboxResponse truncated = sandbox.submit(headers(), java.util.Arrays.copyOf(valid, valid.length / 2));
        assertEquals(400, truncated.status());
        assertTrue(truncated.bodyAsString().contains("does not contain a well-formed XML document"),
                truncated.bodyAsString());
        assertTrue(received.poll(300, TimeUnit.MILLISECONDS) == null, "no notifications for a 400");

        // the next submission is parsed and validated afresh (by a parser reused from those above): no error sticks
        assertEquals(202, sandbox.submit(headers(), valid).status());
    }

    @Test
    void validDeclarationIsAcceptedThenNotifiedInOrder() throws Exception {
        SandboxResponse r = sandbox.submit(headers(), declaration());
        assertEquals(202, r.status());
        String conversationId = r.conversationId();
        assertNotNull(conversationId);

        List<DmsNotification> notes = takeNotifications(2, conversationId);
        assertEquals("DMSRCV", notes.get(0).name());
        assertEquals("DMSACC", notes.get(1).name());
        assertEquals("HPC-PO07881", notes.get(1).lrn());
        assertEquals(notes.get(0).mrn(), notes.get(1).mrn());

    }

    /**
     * CDS takes an LRN once per submitter: submitting it again (a retry after a timeout) is taken under a conversation
     * of its own and then rejected with CDS12003 at DE 2/5, with no DMSRCV first; the first conversation is untouched.
     */
    @Test
    void anLrnSubmittedAgainIsRejectedAsAlreadyUsed() throws Exception {
        SandboxResponse first = sandbox.submit(headers(), declaration());
        List<DmsNotification> firstNotes = takeNotifications(2, first.conversationId());
        assertEquals("DMSACC", firstNotes.get(1).name());

        SandboxResponse again = sandbox.submit(headers(), declaration());
        assertEquals(202, again.status());
        assertNotEquals(first.conversationId(), again.conversationId());
        DmsNotification rej = takeNotifications(1, again.conversationId()).get(0);
        assertEquals("DMSREJ", rej.name());
        assertEquals("HPC-PO07881", rej.lrn());
        assertEquals(1, rej.errors().size());
        assertEquals("CDS12003", rej.errors().get(0).validationCode());
        assertEquals("42A D026", rej.errors().get(0).pointer());
        assertTrue(rej.refusesARepeatedLrn());
        assertNull(received.poll(400, TimeUnit.MILLISECONDS), "nothing more for either conversation");

        // the LRN is used per submitter: another badge may use it
        SandboxResponse otherSubmitter = sandbox.submit(with("X-Badge-Identifier", "XYZ789"), declaration());
        assertEquals("DMSACC", takeNotifications(2, otherSubmitter.conversationId()).get(1).name());
    }

    @Test
    void businessRuleBreachIsRejectedWithPointers() throws Exception {
        String xml = Files.readString(Path.of(DECLARATION), StandardCharsets.UTF_8)
                .replace("<ID>GB987654321000</ID>\n         <Address>", "<ID>FR987654321000</ID>\n         <Address>")
                .replace("<ID>04090000</ID>", "<ID>040900</ID>");
        assertTrue(xml.contains("FR987654321000") && xml.contains("040900<"), "fixture edit applied");
        SandboxResponse r = sandbox.submit(headers(), xml.getBytes(StandardCharsets.UTF_8));
        assertEquals(202, r.status());

        List<DmsNotification> notes = takeNotifications(2, r.conversationId());
        assertEquals("DMSRCV", notes.get(0).name());
        DmsNotification rej = notes.get(1);
        assertEquals("DMSREJ", rej.name());
        assertEquals("DECLARATION_REJECTED", rej.eventType());
        assertEquals(2, rej.errors().size());
        assertEquals("CDS12005", rej.errors().get(0).validationCode());
        assertEquals("42A/57A", rej.errors().get(0).pointer());
        assertEquals("CDS10004", rej.errors().get(1).validationCode());
        assertEquals("42A/67A/68A(2)/23A/21A", rej.errors().get(1).pointer());
        assertTrue(rej.summary().contains("at goods item 2"), rej.summary());
    }

    @Test
    void failedPushesAreRetried() throws Exception {
        synchronized (this) {
            failuresToSimulate = 2;
        }
        SandboxResponse r = sandbox.submit(headers(), declaration());
        List<DmsNotification> notes = takeNotifications(2, r.conversationId());
        assertEquals("DMSRCV", notes.get(0).name());
        assertEquals("DMSACC", notes.get(1).name());
    }

    private List<DmsNotification> takeNotifications(int count, String conversationId) throws Exception {
        Schema notificationSchema = SafeXml.compileSchema(List.of(
                Path.of("mappings/schemas/wco/notification/DocumentMetaData_2_DMS.xsd"),
                Path.of("mappings/schemas/wco/notification/WCO_RES_2_DMS.xsd")));
        DmsNotificationReader reader = DmsNotificationReader.fromMappings(Path.of("mappings"));
        List<DmsNotification> result = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            Received got = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(got, "notification " + (i + 1) + " not received");
            assertEquals("application/xml; charset=UTF-8", got.headers().get("content-type"));
            assertEquals(conversationId, got.headers().get("x-conversation-id"));
            assertEquals("Bearer callback-token", got.headers().get("authorization"));
            SafeXml.validator(notificationSchema).validate(new StreamSource(new ByteArrayInputStream(got.body())));
            result.add(reader.parse(got.body()));
        }
        return result;
    }

    private static void assertErrorBodyValid(String body) throws Exception {
        Schema errorSchema = SafeXml.compileSchema(List.of(Path.of("mappings/schemas/hmrc/error.xsd")));
        SafeXml.validator(errorSchema).validate(new StreamSource(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
    }
}
