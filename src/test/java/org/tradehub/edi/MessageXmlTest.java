package org.tradehub.edi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Message XML written before EdiReader wrote every position (elements and components named by pos attributes, empty
 * ones left out) is still kept for replay and may still be queued: it must read exactly as EdiReader writes the same
 * message now. The earlier texts were written by the reader of that time (commit bca8978).
 */
class MessageXmlTest {

    @ParameterizedTest
    @CsvSource({"orders-d96a, edi/fixtures/orders-d96a.edi", "x12-850-5010, edi/fixtures/x12-850-5010.edi"})
    void earlierShapeIsRewrittenToTodays(String name, String fixture) throws Exception {
        String earlier = Files.readString(Path.of("src/test/resources/edi/message-xml-with-pos/" + name + ".xml"),
                StandardCharsets.UTF_8);
        String today = Collected.read(Files.readAllBytes(Path.of("src/test/resources", fixture))).messages.get(0).xml();
        assertNotEquals(today, earlier);
        assertEquals(today, MessageXml.positional(earlier));
    }

    @Test
    void earlierRepetitionsAndLeftOutPositionsAreRewritten() throws Exception {
        String edi = "UNA:+.?*'UNB+UNOC:4+S:14+R:14+20240131:0915+REF1'UNH+1+ORDERS:D:01B:UN'BGM+220+PO1+9'"
                + "NAD+BY+4012345000009::9++Name*Second name+Street:::Hof 2'FTX+AAI+++first*second*+EN'"
                + "QTY+21:2,5:PCE'UNT+6+1'UNZ+1+REF1'";
        String earlier = Files.readString(Path.of("src/test/resources/edi/message-xml-with-pos/repetitions.xml"),
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
}
