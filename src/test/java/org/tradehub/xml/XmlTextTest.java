package org.tradehub.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;

import javax.xml.transform.Source;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;

import net.sf.saxon.TransformerFactoryImpl;
import org.junit.jupiter.api.Test;

/** XmlText is what the intake and declaration routes hand their templates: read again on a redelivery, never a DTD. */
class XmlTextTest {

    private static final String COUNT_ITEMS = """
            <xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:t="urn:t">
              <xsl:output method="text"/>
              <xsl:template match="/">
                <xsl:value-of select="count(//t:item), string-join(//t:item, '+')"/>
              </xsl:template>
            </xsl:stylesheet>""";

    private static String transform(Source source) throws TransformerException {
        Transformer t = new TransformerFactoryImpl().newTransformer(new StreamSource(new StringReader(COUNT_ITEMS)));
        StringWriter out = new StringWriter();
        t.transform(source, new StreamResult(out));
        return out.toString();
    }

    @Test
    void theSameSourceTransformsAgainAsARedeliveryDoes() throws Exception {
        Source source = XmlText.source("<r xmlns=\"urn:t\"><item>a &amp; b</item><item>\u00e9</item></r>");
        assertEquals("2 a & b+\u00e9", transform(source));
        assertEquals("2 a & b+\u00e9", transform(source));
    }

    @Test
    void aDoctypeIsRefused() {
        Source source = XmlText.source("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r xmlns=\"urn:t\"><item>&x;</item></r>");
        TransformerException e = assertThrows(TransformerException.class, () -> transform(source));
        assertTrue(String.valueOf(e.getMessage()).contains("DOCTYPE"), e.getMessage());
        // and the thread's reader still reads the next document
        assertDoesNotFail();
    }

    private static void assertDoesNotFail() {
        try {
            assertEquals("1 ok", transform(XmlText.source("<r xmlns=\"urn:t\"><item>ok</item></r>")));
        } catch (TransformerException e) {
            throw new AssertionError(e);
        }
    }
}
