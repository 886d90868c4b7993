package org.tradehub.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
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
}
