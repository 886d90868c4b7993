package org.tradehub.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXParseException;
import org.tradehub.xml.SafeXml.XmlRejectedException;

/** SafeXml.parse reuses one builder per thread: each document must still get the hardened, fresh parser. */
class SafeXmlTest {

    private static final byte[] ENTITY_BOMB = ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
            + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><r>&b;</r>").getBytes(StandardCharsets.UTF_8);
    private static final byte[] EXTERNAL = ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<r>&x;</r>").getBytes(StandardCharsets.UTF_8);

    @Test
    void aDoctypeIsRefusedEveryTimeAndGoodDocumentsParseBetween() {
        for (int i = 0; i < 3; i++) {
            XmlRejectedException bomb = assertThrows(XmlRejectedException.class, () -> SafeXml.parse(ENTITY_BOMB, 1024));
            assertTrue(bomb.getMessage().contains("DOCTYPE"), bomb.getMessage());
            assertThrows(XmlRejectedException.class, () -> SafeXml.parse(EXTERNAL, 1024));
            assertEquals("ok" + i, SafeXml.parse(("<r xmlns=\"urn:t\"><v>ok" + i + "</v></r>")
                    .getBytes(StandardCharsets.UTF_8), 1024).getDocumentElement().getTextContent());
        }
    }

    @Test
    void aBrokenDocumentLeavesNothingBehindForTheNext() {
        assertThrows(XmlRejectedException.class, () -> SafeXml.parse("<r><unclosed></r>".getBytes(StandardCharsets.UTF_8), 1024));
        var doc = SafeXml.parse("<a xmlns=\"urn:a\"><b/></a>".getBytes(StandardCharsets.UTF_8), 1024);
        assertEquals("urn:a", doc.getDocumentElement().getNamespaceURI());
        assertEquals("a", doc.getDocumentElement().getLocalName());
    }

    @Test
    void theSizeLimitHolds() {
        assertThrows(XmlRejectedException.class, () -> SafeXml.parse("<r>0123456789</r>".getBytes(StandardCharsets.UTF_8), 10));
    }

    private static final String SCHEMA = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:t\""
            + " elementFormDefault=\"qualified\"><xs:element name=\"r\"><xs:complexType><xs:sequence>"
            + "<xs:element name=\"n\" type=\"xs:int\"/></xs:sequence></xs:complexType></xs:element></xs:schema>";

    /** The validating parser: errors with their line, nothing fetched, the same hardening, reusable after failures. */
    @Test
    void theValidatingParserValidatesWhileItParsesAndFetchesNothing() throws Exception {
        ValidatingParser parser = new ValidatingParser(SafeXml.schemaFactory().newSchema(new StreamSource(new StringReader(SCHEMA))));
        // a schema location the document names itself, on a server that counts who asks for it
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger fetched = new AtomicInteger();
        server.createContext("/", exchange -> {
            fetched.incrementAndGet();
            byte[] lax = ("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:t\">"
                    + "<xs:element name=\"r\"/></xs:schema>").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, lax.length);
            exchange.getResponseBody().write(lax);
            exchange.close();
        });
        server.start();
        try {
            String hint = " xmlns:xsi=\"" + XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI + "\" xsi:schemaLocation=\"urn:t"
                    + " http://127.0.0.1:" + server.getAddress().getPort() + "/lax.xsd\"";
            for (int i = 0; i < 2; i++) {
                List<String> errors = new ArrayList<>();
                parser.parse(("<r xmlns=\"urn:t\"" + hint + ">\n<n>not a number</n></r>").getBytes(StandardCharsets.UTF_8),
                        1024, errors, SafeXmlTest::describe);
                // Xerces reports a bad value twice (the datatype, then the element): both where the value is
                assertTrue(!errors.isEmpty() && errors.stream().allMatch(e -> e.startsWith("line 2:")
                        && e.contains("not a number")), errors.toString());

                assertThrows(XmlRejectedException.class, () -> parser.parse(EXTERNAL, 1024, errors, SafeXmlTest::describe));
                assertThrows(XmlRejectedException.class, () -> parser.parse(ENTITY_BOMB, 1024, errors, SafeXmlTest::describe));

                List<String> none = new ArrayList<>();
                assertEquals("7", parser.parse("<r xmlns=\"urn:t\"><n>7</n></r>".getBytes(StandardCharsets.UTF_8), 1024,
                        none, SafeXmlTest::describe).getDocumentElement().getTextContent());
                assertEquals(List.of(), none);
            }
            assertEquals(0, fetched.get(), "the document's own schema location must not be fetched");
        } finally {
            server.stop(0);
        }
    }

    /** Shared by many threads, each document still gets its own verdict. */
    @Test
    void theValidatingParserServesManyThreadsAtOnce() throws Exception {
        ValidatingParser parser = new ValidatingParser(SafeXml.schemaFactory().newSchema(new StreamSource(new StringReader(SCHEMA))));
        ExecutorService threads = Executors.newFixedThreadPool(12);
        try {
            List<Future<Boolean>> verdicts = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                int n = i;
                verdicts.add(threads.submit(() -> {
                    List<String> errors = new ArrayList<>();
                    String value = n % 3 == 0 ? "x" + n : Integer.toString(n);
                    var doc = parser.parse(("<r xmlns=\"urn:t\"><n>" + value + "</n></r>").getBytes(StandardCharsets.UTF_8),
                            1024, errors, SafeXmlTest::describe);
                    boolean valid = n % 3 != 0;
                    return doc.getDocumentElement().getTextContent().equals(value) && errors.isEmpty() == valid
                            && errors.stream().allMatch(e -> e.contains("x" + n));
                }));
            }
            for (Future<Boolean> verdict : verdicts) {
                assertTrue(verdict.get(30, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static String describe(SAXParseException e) {
        return "line " + e.getLineNumber() + ": " + e.getMessage();
    }
}
