package org.tradehub.edi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** How the single window's answers (CUSRES, CONTRL) are read from the message XML: values by their position. */
class EdiAnswersSegmentsTest {

    @Test
    void valuesAreReadByPositionWhateverTheOrderOfTheAttributes() {
        EdiAnswers.Segments segments = EdiAnswers.Segments.of("<message><segment tag=\"FTX\" pos=\"3\" qualifier=\"AAO\""
                + " v4.1.r2=\"third\" v4.10=\"tenth\" v4.2=\"second\" v4.1=\"first\" v5.1=\"EN\" v1.1=\"AAO\"/></message>");
        Element ftx = segments.all("FTX").get(0);
        // the element's components in order (10 after 2), then those of its repetitions
        assertEquals(List.of("first", "second", "tenth", "third"), EdiAnswers.Segments.components(ftx, 4));
        assertEquals(List.of(), EdiAnswers.Segments.components(ftx, 1 + 1));
        assertEquals("EN", EdiAnswers.Segments.value(ftx, 5, 1));
        assertNull(EdiAnswers.Segments.value(ftx, 2, 1));
        assertEquals("AAO", segments.value("FTX", 1, 1));
    }

    @Test
    void messageXmlOfAnEarlierShapeReadsTheSame() throws Exception {
        EdiAnswers.Segments segments = EdiAnswers.Segments.of(Files.readString(
                Path.of("src/test/resources/edi/message-xml-with-elements/orders-d96a.xml"), StandardCharsets.UTF_8));
        assertEquals("PO-4711", segments.value("BGM", 2, 1));
        Element buyer = segments.all("NAD").get(0);
        assertEquals("9", EdiAnswers.Segments.value(buyer, 2, 3));
        assertEquals(List.of("5412345000013", "9"), EdiAnswers.Segments.components(buyer, 2));
    }
}
