package org.tradehub.edi;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import javax.xml.transform.stream.StreamSource;
import java.util.List;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmAtomicValue;
import net.sf.saxon.s9api.Xslt30Transformer;
import net.sf.saxon.s9api.XsltExecutable;

/** Lets tests of other packages read an interchange back with the hub's reader (all message types allowed). */
public final class EdiReaderProbe {

    public record Result(List<EdiMessage> messages, List<EdiError> errors, boolean complete) {
    }

    private EdiReaderProbe() {
    }

    public static Result read(byte[] interchange) throws IOException {
        Collected c = Collected.readAll(interchange);
        return new Result(c.messages, c.errors, c.summary.complete());
    }

    private static final Processor SAXON = new Processor(false);
    /** The templates' own edi:v (mappings/inbound/edi-functions.xsl) on the first segment with a tag. */
    private static final XsltExecutable EDI_V;

    static {
        String stylesheet = """
                <xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:edi="urn:tradehub:edi-functions">
                  <xsl:include href="edi-functions.xsl"/>
                  <xsl:output method="text"/>
                  <xsl:param name="tag" as="xs:string"/>
                  <xsl:param name="e" as="xs:integer"/>
                  <xsl:param name="c" as="xs:integer"/>
                  <xsl:template match="/">
                    <xsl:value-of select="edi:v((/message/segment[@tag = $tag])[1], $e, $c)"/>
                  </xsl:template>
                </xsl:stylesheet>""";
        try {
            EDI_V = SAXON.newXsltCompiler().compile(new StreamSource(new StringReader(stylesheet),
                    Path.of("mappings/inbound/probe.xsl").toUri().toString()));
        } catch (SaxonApiException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Component c of element e of the first segment tagged tag in a message's XML, as the templates' edi:v reads it
     * (a simple element is component 1); "" when there is none.
     */
    public static String value(EdiMessage m, String tag, int e, int c) throws SaxonApiException {
        Xslt30Transformer t = EDI_V.load30();
        t.setStylesheetParameters(Map.of(new QName("tag"), new XdmAtomicValue(tag), new QName("e"),
                new XdmAtomicValue(e), new QName("c"), new XdmAtomicValue(c)));
        StringWriter out = new StringWriter();
        t.transform(m.asSource(), SAXON.newSerializer(out));
        return out.toString();
    }
}
