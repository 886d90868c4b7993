package org.tradehub.xml;

import java.io.StringReader;

import net.sf.saxon.event.Receiver;
import net.sf.saxon.lib.ActiveSource;
import net.sf.saxon.lib.ParseOptions;
import net.sf.saxon.resource.ActiveSAXSource;
import net.sf.saxon.trans.XPathException;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/**
 * XML text as the Source of a template (a route step before {@code xslt-saxon}): Saxon builds its tree from the
 * hardened SAX reader of {@link SafeXml}, one per thread. Given a String, camel-xslt-saxon would hand Saxon a StAX
 * reader instead, and Saxon's copy from StAX events was about a quarter of the intake stage's template time. The text
 * is read again at every delivery, so a redelivered step transforms the same document again.
 */
public final class XmlText implements ActiveSource {

    private static final ThreadLocal<XMLReader> READER = ThreadLocal.withInitial(SafeXml::xmlReader);

    private final String xml;
    private String systemId;

    private XmlText(String xml) {
        this.xml = xml;
    }

    /** Bean method for routes: the message body as a Source (and MessageXmlSource's way to the full parser). */
    public static XmlText source(String xml) {
        return new XmlText(xml);
    }

    @Override
    public void deliver(Receiver out, ParseOptions options) throws XPathException {
        InputSource input = new InputSource(new StringReader(xml));
        input.setSystemId(systemId);
        XMLReader reader = READER.get();
        // Saxon gives a reader without an error handler its own, which counts errors and fails the parse when the
        // count is not zero: a handler left from an earlier document would fail this one
        reader.setErrorHandler(null);
        new ActiveSAXSource(reader, input).deliver(out, options);
    }

    @Override
    public void setSystemId(String systemId) {
        this.systemId = systemId;
    }

    @Override
    public String getSystemId() {
        return systemId;
    }
}
