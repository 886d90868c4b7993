package org.tradehub.edi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;

import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.Serializer;
import net.sf.saxon.s9api.XdmNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MessageXml.source builds the same tree as an XML parser: for what MessageXml writes (read directly) and for any
 * other text (handed to the hardened JDK parser), including the errors.
 */
class MessageXmlSourceTest {

    private static final Processor SAXON = new Processor(false);

    @Test
    void realMessagesReadAsByAParser() throws Exception {
        for (String file : List.of("src/test/resources/edi/fixtures/orders-d96a.edi",
                "src/test/resources/edi/fixtures/orders-d01b-eancom-decimal-comma.edi",
                "src/test/resources/edi/fixtures/x12-850-5010.edi",
                "src/test/resources/samples/edifact/edinet__edifact.01.multi-message.edi")) {
            for (String xml : messages(file)) {
                assertSameTree(xml);
            }
        }
    }

    /** Values as EDI sends them, and text MessageXml never writes: either way the tree is the parser's. */
    @ParameterizedTest
    @ValueSource(strings = {"a&amp;b", "&lt;x&gt;", "&quot;&apos;", "tab\there", "cr\rhere", "crlf\r\nx", "]]&gt;",
        "&#65;", "&#x41;", "<!-- c -->", "<?pi x?>", "<![CDATA[x]]>", "\uD83D\uDE00", "é€", "<b/>", "<b x='1'/>",
        "<b x=\"1\" y=\"2\"/>", "<b xmlns=\"urn:x\"/>", "<p:b xmlns:p=\"urn:x\"/>", " ", "\n\n"})
    void valuesAndOtherMarkupReadAsByAParser(String inserted) throws Exception {
        String xml = messages("src/test/resources/edi/fixtures/orders-d96a.edi").get(0);
        int value = xml.indexOf("PO-4711"); // a value: an attribute of its segment
        int text = xml.indexOf("/>\n", value) + 2; // the text between two segments
        assertSameTree(xml.substring(0, text) + inserted + xml.substring(text));
        if (!inserted.contains("\"") && !inserted.contains("<")) {
            assertSameTree(xml.substring(0, value) + inserted + xml.substring(value));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"<a></b>", "<a>", "", "x<a/>", "<a/><b/>", "<a b=\"1\" b=\"2\"/>", "<a>]]></a>",
        "<a>&nbsp;</a>", "<a>&</a>", "<a b=\"x<y\"/>", "<a>\uFFFE</a>", "<a>\u0001</a>"})
    void notWellFormedIsAnErrorAsFromAParser(String xml) {
        assertThrows(SaxonApiException.class, () -> build(MessageXml.source(xml)));
        assertThrows(SaxonApiException.class, () -> build(new StreamSource(new StringReader(xml))));
    }

    /**
     * Each xslt-saxon endpoint has a Saxon Configuration (and name pool) of its own: the EDIFACT and the X12 template
     * taking messages in turn must not make each other's names be looked up afresh.
     */
    @Test
    void namesAreKeptForEachTemplatesPool() throws Exception {
        Processor edifactTemplate = new Processor(false);
        Processor x12Template = new Processor(false);
        String edifact = messages("src/test/resources/edi/fixtures/orders-d96a.edi").get(0);
        String x12 = messages("src/test/resources/edi/fixtures/x12-850-5010.edi").get(0);
        edifactTemplate.newDocumentBuilder().build(MessageXml.source(edifact));
        int kept = MessageXmlSource.namesKept(edifactTemplate.getUnderlyingConfiguration().getNamePool());
        x12Template.newDocumentBuilder().build(MessageXml.source(x12));

        assertTrue(kept >= 5, "names kept after one message: " + kept);
        assertEquals(kept, MessageXmlSource.namesKept(edifactTemplate.getUnderlyingConfiguration().getNamePool()));
        assertTrue(MessageXmlSource.namesKept(x12Template.getUnderlyingConfiguration().getNamePool()) >= 5);
    }

    @Test
    void doctypeIsRefused() {
        assertThrows(SaxonApiException.class, () -> build(MessageXml.source("<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>")));
    }

    private static void assertSameTree(String xml) throws Exception {
        assertEquals(build(new StreamSource(new StringReader(xml))), build(MessageXml.source(xml)), xml);
    }

    /** The document serialised, plus its number of nodes (so text nodes count, not only their content). */
    private static String build(Source source) throws SaxonApiException {
        XdmNode doc = SAXON.newDocumentBuilder().build(source);
        StringWriter out = new StringWriter();
        Serializer serializer = SAXON.newSerializer(out);
        serializer.serializeNode(doc);
        return out + " nodes=" + doc.select(net.sf.saxon.s9api.streams.Steps.descendant()).count();
    }

    private static List<String> messages(String file) throws Exception {
        List<String> xml = new ArrayList<>();
        try (InputStream in = new FileInputStream(file)) {
            for (EdiMessage m : Collected.read(in).messages) {
                xml.add(m.xml());
            }
        }
        return xml;
    }
}
