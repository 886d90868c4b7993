package org.tradehub.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.xml.transform.stream.StreamSource;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.XdmAtomicValue;
import net.sf.saxon.s9api.XdmValue;
import net.sf.saxon.s9api.Xslt30Transformer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tradehub.edi.EdiMessage;
import org.tradehub.edi.EdiReaderProbe;

/**
 * Order (as the EDI reader delivers it) -> ORDRSP / 855 golden files, and the round trip: every order response must
 * read back through our own EDI reader as one clean message of the order's directory / version, answering the order
 * by its number, with the interchange ids swapped.
 */
class OrderResponseGoldenTest {

    private static final Processor SAXON = new Processor(false);
    private static final Path GOLDEN = Path.of("src/test/resources/golden/order-responses");
    static final String REASONS = "Line 2: unit 'CT' is not a UN/ECE Rec 20 unit code (use e.g. H87 piece).\n"
            + "Line 1: the HS code 851712 does not exist in the Harmonized System; a valid 6-digit code is needed"
            + " for the export declaration, e.g. from the 8517 heading.";

    static String transform(String template, String messageXml, boolean accepted) throws Exception {
        Xslt30Transformer t = SAXON.newXsltCompiler()
                .compile(new StreamSource(new File("mappings/outbound/" + template + ".xsl"))).load30();
        Map<QName, XdmValue> p = new HashMap<>();
        p.put(new QName("controlRef"), new XdmAtomicValue("42"));
        p.put(new QName("documentDateTime"), new XdmAtomicValue("202503141030"));
        p.put(new QName("orderAccepted"), new XdmAtomicValue(String.valueOf(accepted)));
        p.put(new QName("rejectReasons"), new XdmAtomicValue(accepted ? "" : REASONS));
        t.setStylesheetParameters(p);
        StringWriter out = new StringWriter();
        t.transform(new StreamSource(new StringReader(messageXml)), SAXON.newSerializer(out));
        return out.toString();
    }

    @ParameterizedTest(name = "{0} accepted={2}")
    @CsvSource({
        "edi/fixtures/orders-d96a.edi, orders-to-ordrsp, true, ordrsp-d96a-accepted, ORDRSP, 96A, PO-4711",
        "edi/fixtures/orders-d96a.edi, orders-to-ordrsp, false, ordrsp-d96a-not-accepted, ORDRSP, 96A, PO-4711",
        "edi/fixtures/orders-d01b-eancom-decimal-comma.edi, orders-to-ordrsp, true, ordrsp-d01b-syntax4-accepted, ORDRSP, 01B, EAN-77",
        "samples/x12/edinet__x12.850.edi, x12-850-to-855, true, 855-4010-accepted, 855, , 1000012",
        "edi/fixtures/x12-850-5010.edi, x12-850-to-855, false, 855-5010-rejected, 855, , PO-5010-1",
    })
    void orderResponseMatchesGoldenAndReadsBackClean(String fixture, String template, boolean accepted, String golden,
                                                     String type, String release, String orderNumber) throws Exception {
        EdiMessage order = EdiReaderProbe.read(Files.readAllBytes(Path.of("src/test/resources", fixture)))
                .messages().get(0);
        String response = transform(template, order.xml(), accepted);

        EdiReaderProbe.Result back = EdiReaderProbe.read(response.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(back.errors().isEmpty() && back.complete(), () -> golden + ": " + back.errors() + "\n" + response);
        assertEquals(1, back.messages().size());
        EdiMessage m = back.messages().get(0);
        assertEquals(type, m.type());
        assertEquals(order.version(), m.version(), "answers in the order's version");
        if (release != null) {
            assertEquals(release, m.release());
        }
        String xml = m.xml();
        assertTrue(xml.contains("sender=\"" + xmlAttr(order, "receiver") + "\"")
                && xml.contains("receiver=\"" + xmlAttr(order, "sender") + "\""), "interchange ids swapped");
        assertTrue(xml.contains("=\"" + orderNumber + "\""), "names the order it answers");

        Path file = GOLDEN.resolve(golden + (type.equals("855") ? ".x12" : ".ordrsp"));
        // one segment per line: after each unreleased EDIFACT terminator, after each X12 terminator
        String readable = type.equals("855") ? response.replace("~", "~\n")
                : response.replaceAll("(?<!\\?)'", "'\n").replace("UNA:+.? '\n", "UNA:+.? '");
        if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
            Files.writeString(file, readable, StandardCharsets.UTF_8);
            assertFalse(!Boolean.getBoolean("golden.update"), "golden file was missing and has been written: " + file);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), readable, golden);
    }

    private static String xmlAttr(EdiMessage m, String name) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(m.xml());
        return matcher.find() ? matcher.group(1) : "?";
    }
}
