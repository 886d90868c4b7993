package org.tradehub.edi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Message XML written by earlier versions of EdiReader is still kept for replay and may still be queued: it must read
 * exactly as EdiReader writes the same message now. Three earlier shapes, each written by the reader of its time:
 * elements and components named by pos attributes, empty ones left out (message-xml-with-pos, commit bca8978); every
 * position written but no qualifier attribute on the segments (message-xml-without-qualifier, commit a098be6); every
 * position written as elements and components, with the qualifier (message-xml-with-elements, commit 8e46ff7).
 */
class MessageXmlTest {

    @ParameterizedTest
    @CsvSource({"message-xml-with-pos, orders-d96a, edi/fixtures/orders-d96a.edi",
            "message-xml-with-pos, x12-850-5010, edi/fixtures/x12-850-5010.edi",
            "message-xml-without-qualifier, orders-d96a, edi/fixtures/orders-d96a.edi",
            "message-xml-without-qualifier, x12-850-5010, edi/fixtures/x12-850-5010.edi",
            "message-xml-with-elements, orders-d96a, edi/fixtures/orders-d96a.edi",
            "message-xml-with-elements, x12-850-5010, edi/fixtures/x12-850-5010.edi"})
    void earlierShapeIsRewrittenToTodays(String shape, String name, String fixture) throws Exception {
        String earlier = Files.readString(Path.of("src/test/resources/edi/" + shape + "/" + name + ".xml"),
                StandardCharsets.UTF_8);
        String today = Collected.read(Files.readAllBytes(Path.of("src/test/resources", fixture))).messages.get(0).xml();
        assertNotEquals(today, earlier);
        assertEquals(today, MessageXml.positional(earlier));
    }

    @ParameterizedTest
    @CsvSource({"message-xml-with-pos", "message-xml-without-qualifier", "message-xml-with-elements"})
    void earlierRepetitionsAndLeftOutPositionsAreRewritten(String shape) throws Exception {
        String edi = "UNA:+.?*'UNB+UNOC:4+S:14+R:14+20240131:0915+REF1'UNH+1+ORDERS:D:01B:UN'BGM+220+PO1+9'"
                + "NAD+BY+4012345000009::9++Name*Second name+Street:::Hof 2'FTX+AAI+++first*second*+EN'"
                + "QTY+21:2,5:PCE'UNT+6+1'UNZ+1+REF1'";
        String earlier = Files.readString(Path.of("src/test/resources/edi/" + shape + "/repetitions.xml"),
                StandardCharsets.UTF_8);
        String today = Collected.read(edi.getBytes(StandardCharsets.ISO_8859_1)).messages.get(0).xml();
        assertEquals(today, MessageXml.positional(earlier));
    }

    @Test
    void todaysShapeIsLeftAsItIs() throws Exception {
        String today = Collected.read(Files.readAllBytes(Path.of("src/test/resources/edi/fixtures/orders-d96a.edi")))
                .messages.get(0).xml();
        assertSame(today, MessageXml.positional(today));
    }

    @Test
    void eachSegmentCarriesItsFirstValueAsQualifierWhitespaceNormalized() throws Exception {
        String edi = "UNA:+.? '\nUNB+UNOC:3+S:14+R:14+240131:0915+REF1'UNH+1+ORDERS:D:96A:UN'BGM+220+PO1+9'"
                + "NAD+ BY  ++++Name'DTM+137:20240131:102'FTX++AAI'MOA+:12'UNT+7+1'UNZ+1+REF1'";
        String xml = Collected.read(edi.getBytes(StandardCharsets.ISO_8859_1)).messages.get(0).xml();
        assertTrue(xml.contains("<segment tag=\"NAD\" pos=\"3\" qualifier=\"BY\" v1.1=\"BY\" v5.1=\"Name\"/>"), xml);
        assertTrue(xml.contains("<segment tag=\"DTM\" pos=\"4\" qualifier=\"137\" v1.1=\"137\""), xml); // component 1
        assertTrue(xml.contains("<segment tag=\"FTX\" pos=\"5\" v2.1=\"AAI\"/>"), xml); // element 1 empty: none
        assertTrue(xml.contains("<segment tag=\"MOA\" pos=\"6\" v1.2=\"12\"/>"), xml); // component 1 empty: none
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"BY|BY", "' BY '|BY", "'A \t B'|A B", "'\n'|", "ab  c|ab c", "a\tb|a b"})
    void qualifierIsNormalizedAsEdiVReadsIt(String value, String expected) {
        assertEquals(expected, MessageXml.normalizeSpace(value));
    }
}
