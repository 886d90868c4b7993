package org.tradehub.edi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The syntax quirks real partners send, each pinned by a small interchange written from ISO 9735 / X12. */
class EdiReaderSyntaxTest {

    private static final String ORDER_BODY = "BGM+220+PO1+9'DTM+137:20240131:102'NAD+BY+++%s'CUX+2:EUR:9'"
            + "LIN+1++A1:SA'QTY+21:2'PRI+AAA:1.5'";

    /** An ORDERS interchange with one message, in the given separators: component, element, segment. */
    private static String edifact(String una, String syntax, String name, char c, char e, char s) {
        // syntax 4 requires CCYYMMDD in UNB (StAEDI checks it: a 6-digit date there is error 40)
        String date = syntax.endsWith(":4") ? "20240131" : "240131";
        String body = ("UNB+" + syntax + "+S:14+R:14+" + date + ":0915+REF1'UNH+1+ORDERS:D:96A:UN'"
                + ORDER_BODY.formatted(name) + "UNT+9+1'UNZ+1+REF1'");
        body = body.replace(':', '\u0001').replace('+', '\u0002').replace('\'', '\u0003')
                .replace('\u0001', c).replace('\u0002', e).replace('\u0003', s);
        return una + body;
    }

    private static String buyerName(Collected c) throws Exception {
        return EdiReaderProbe.value(c.messages.get(0), "NAD", 4, 1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "UNOA syntax 1 no UNA; ; UNOA:1; ACME LTD; US-ASCII",
        "UNOB syntax 2; ; UNOB:2; Acme Ltd; US-ASCII",
        "UNOC Latin-1 bytes; ; UNOC:3; Müller Äpfel; ISO-8859-1",
        "UNOD Latin-2 bytes; ; UNOD:3; Łódź Żółw; ISO-8859-2",
        "UNOE Cyrillic bytes; ; UNOE:3; Москва Торг; ISO-8859-5",
        "UNOW UTF-8 syntax 4; UNA:+.?*'; UNOW:4; 東京 Trading; UTF-8",
        "UNOY UTF-8; ; UNOY:4; Ελλάδα ΑΕ; UTF-8",
    })
    void decodesTheCharsetTheUnbDeclares(String label, String una, String syntax, String name, String bytesAs)
            throws Exception {
        byte[] bytes = edifact(una == null ? "" : una, syntax, name, ':', '+', '\'').getBytes(Charset.forName(bytesAs));
        Collected c = Collected.read(bytes);
        assertEquals(1, c.messages.size(), () -> label + " errors " + c.errors);
        assertTrue(c.errors.isEmpty(), () -> label + " errors " + c.errors);
        assertEquals(name, buyerName(c));
        assertEquals(syntax.substring(5), c.envelopes.get(0).syntaxVersion());
    }

    @Test
    void honoursUnaWithOtherSeparatorsAndDecimalComma() throws Exception {
        Collected c = Collected.read(edifact("UNA:+,? '", "UNOC:3", "A", ':', '+', '\'').replace("1.5", "1,5")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(c.errors.isEmpty(), c.errors::toString);
        assertEquals(',', c.envelopes.get(0).decimalMark());
        assertEquals("1,5", EdiReaderProbe.value(c.messages.get(0), "PRI", 1, 2));
    }

    @Test
    void honoursExoticUnaAndReleaseCharacter() throws Exception {
        // UNA|^.? ~ : component '|', element '^', segment '~'; the name carries released separators
        String edi = edifact("UNA|^.? ~", "UNOC:3", "A?^B?~C?|D??E", '|', '^', '~');
        Collected c = Collected.read(edi.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(c.errors.isEmpty(), c.errors::toString);
        assertEquals("A^B~C|D?E", buyerName(c));
    }

    /**
     * Each value is an attribute named by its position (element, component, repetition 2+), empty ones left out, and
     * the templates' edi:v finds it by position, a simple element as component 1.
     */
    @Test
    void writesEachValueAsAnAttributeNamedByItsPosition() throws Exception {
        String edi = "UNA:+.?*'UNB+UNOC:4+S:14+R:14+20240131:0915+REF1'UNH+1+ORDERS:D:01B:UN'BGM+220+PO1+9'"
                + "NAD+BY+4012345000009::9++Name*Second name+Street:::Hof 2'FTX+AAI+++first*second*+EN'"
                + "UNT+5+1'UNZ+1+REF1'";
        Collected c = Collected.read(edi.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(c.errors.isEmpty(), c.errors::toString);
        EdiMessage m = c.messages.get(0);
        assertEquals("9", EdiReaderProbe.value(m, "NAD", 2, 3));
        assertEquals("", EdiReaderProbe.value(m, "NAD", 2, 2));
        assertEquals("", EdiReaderProbe.value(m, "NAD", 3, 1));
        assertEquals("Name", EdiReaderProbe.value(m, "NAD", 4, 1));
        assertEquals("Street", EdiReaderProbe.value(m, "NAD", 5, 1));
        assertEquals("Hof 2", EdiReaderProbe.value(m, "NAD", 5, 4));
        assertEquals("EN", EdiReaderProbe.value(m, "FTX", 5, 1));
        String xml = m.xml();
        assertTrue(xml.contains("<segment tag=\"NAD\" pos=\"3\" qualifier=\"BY\" v1.1=\"BY\" v2.1=\"4012345000009\""
                + " v2.3=\"9\" v4.1=\"Name\" v4.1.r2=\"Second name\" v5.1=\"Street\" v5.4=\"Hof 2\"/>"), xml);
        // empty values (the third repetition of FTX 4 among them) are left out
        assertTrue(xml.contains("<segment tag=\"FTX\" pos=\"4\" qualifier=\"AAI\" v1.1=\"AAI\" v4.1=\"first\""
                + " v4.1.r2=\"second\" v5.1=\"EN\"/>"), xml);
    }

    @Test
    void toleratesBomCrlfIndentationAndSegmentsSplitOverLines() throws Exception {
        String edi = edifact("UNA:+.? '", "UNOC:3", "SPLIT NAME", ':', '+', '\'')
                .replace("'", "'\r\n\t").replace("SPLIT NAME", "SPLIT\r\n NAME".replace("\r\n ", "\r\n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '\r', '\n'});
        out.write(edi.getBytes(StandardCharsets.UTF_8));
        Collected c = Collected.read(out.toByteArray());
        assertTrue(c.errors.isEmpty(), c.errors::toString);
        assertEquals("SPLITNAME", buyerName(c)); // line breaks are transport noise, not data
    }

    @Test
    void readsTwoGroupsWithSeveralMessagesEach() throws Exception {
        StringBuilder edi = new StringBuilder("UNB+UNOC:3+S:14+R:14+240131:0915+REF9'");
        int ref = 0;
        for (String g : new String[] {"G1", "G2"}) {
            edi.append("UNG+ORDERS+S+R+240131:0915+").append(g).append("+UN+D:96A'");
            for (int i = 0; i < 2; i++) {
                ref++;
                edi.append("UNH+").append(ref).append("+ORDERS:D:96A:UN'")
                        .append(ORDER_BODY.formatted("N" + ref)).append("UNT+9+").append(ref).append("'");
            }
            edi.append("UNE+2+").append(g).append("'");
        }
        edi.append("UNZ+2+REF9'");
        Collected c = Collected.read(edi.toString().getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(c.errors.isEmpty(), c.errors::toString);
        assertEquals(4, c.messages.size());
        assertEquals("G2", c.messages.get(3).groupControlRef());
        assertEquals(2, c.summary.groups());
    }

    @Test
    void readsX12WithOtherSeparatorsAndShortIsa() throws Exception {
        String x12 = "ISA!00!!00!!ZZ!BUYER!ZZ!SELLER!240131!0915!U!00401!77!0!T!}\n"
                + "GS!PO!BUYER!SELLER!20240131!0915!77!X!004010\n"
                + "ST!850!0001\nBEG!00!SA!PO9!!20240131\nPO1!1!2!EA!3.5!!VP!X}Y\nCTT!1\nSE!5!0001\n"
                + "GE!1!77\nIEA!1!000000077\n";
        Collected c = Collected.read(x12.getBytes(StandardCharsets.US_ASCII));
        assertTrue(c.errors.isEmpty(), c.errors::toString);
        assertEquals("BUYER", c.envelopes.get(0).senderId());
        EdiMessage m = c.messages.get(0);
        assertEquals("850", m.type());
        assertEquals("004010", m.version());
        assertEquals("Y", EdiReaderProbe.value(m, "PO1", 7, 2), m.xml());
    }

    @Test
    void realSampleNonOrdersAreReportedAsNotSupported() throws Exception {
        try (var in = new FileInputStream("src/test/resources/samples/edifact/edinet__edifact.Issue188.edi")) {
            Collected c = Collected.read(in);
            assertEquals(4, c.messages.size());
            assertTrue(c.summary.complete());
            assertTrue(c.errors.stream().anyMatch(e -> "14".equals(e.syntaxErrorCode())
                    && e.text().contains("INVOIC")));
            // UNT+1+43 closing UNH+44: reference mismatch at UNT element 2
            assertTrue(c.errors.stream().anyMatch(e -> "28".equals(e.syntaxErrorCode()) && "UNT".equals(e.segmentTag())
                    && e.elementPosition() == 2 && "44".equals(e.messageRef())));
        }
    }

    @Test
    void goodMessageSurvivesABadOneInTheSameInterchange() throws Exception {
        String edi = "UNB+UNOC:3+S:14+R:14+240131:0915+REF1'"
                + "UNH+1+ORDERS:D:96A:UN'" + ORDER_BODY.formatted("GOOD") + "UNT+9+1'"
                + "UNH+2+ORDERS:D:96A:UN'" + ORDER_BODY.formatted("BAD") + "UNT+4+2'"
                + "UNZ+2+REF1'";
        Collected c = Collected.read(edi.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(2, c.messages.size());
        assertTrue(c.messages.get(0).accepted());
        EdiMessage bad = c.messages.get(1);
        assertFalse(bad.accepted());
        EdiError e = bad.errors().get(0);
        assertEquals(EdiError.Scope.MESSAGE, e.scope());
        assertEquals("2", e.messageRef());
        assertEquals(9, e.segmentPosition());
        assertEquals("UNT", e.segmentTag());
        assertEquals(1, e.elementPosition());
        assertEquals("29", e.syntaxErrorCode());
    }

    @Test
    void truncatedInterchangeKeepsCompleteMessagesAndReportsTheRest() throws Exception {
        String edi = "UNB+UNOC:3+S:14+R:14+240131:0915+REF1'"
                + "UNH+1+ORDERS:D:96A:UN'" + ORDER_BODY.formatted("GOOD") + "UNT+9+1'"
                + "UNH+2+ORDERS:D:96A:UN'BGM+220+PO2";
        Collected c = Collected.read(edi.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(2, c.messages.size());
        assertTrue(c.messages.get(0).accepted());
        // the message cut off is delivered rejected, missing its UNT where the UNT would have been (segment 3)
        EdiError lost = c.messages.get(1).errors().get(0);
        assertEquals("UNT", lost.segmentTag());
        assertEquals(3, lost.segmentPosition());
        assertEquals("13", lost.syntaxErrorCode());
        assertFalse(c.summary.complete());
        assertTrue(c.errors.stream().anyMatch(e -> e.scope() == EdiError.Scope.INTERCHANGE
                && "UNZ".equals(e.segmentTag()) && "13".equals(e.syntaxErrorCode())));
    }

    @Test
    void garbageIsReportedNotThrown() throws Exception {
        Collected c = Collected.read("%PDF-1.7 not an interchange".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0, c.messages.size());
        assertEquals(EdiError.Scope.INTERCHANGE, c.errors.get(0).scope());
        assertFalse(c.summary.complete());
    }
}
