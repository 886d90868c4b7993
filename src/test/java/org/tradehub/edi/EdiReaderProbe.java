package org.tradehub.edi;

import java.io.IOException;
import java.util.List;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XPathCompiler;
import net.sf.saxon.s9api.XPathSelector;
import net.sf.saxon.s9api.XdmAtomicValue;

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

    /**
     * Component c of element e of the first segment tagged tag in a message's XML, read as a template reads it
     * (its attribute v{e}.{c}; a simple element is component 1); "" when there is none.
     */
    public static String value(EdiMessage m, String tag, int e, int c) throws SaxonApiException {
        XPathCompiler compiler = SAXON.newXPathCompiler();
        for (String name : List.of("tag", "e", "c")) {
            compiler.declareVariable(new QName(name));
        }
        XPathSelector xpath = compiler.compile("""
                string((/message/segment[@tag = $tag])[1]/@*[local-name() eq concat('v', $e, '.', $c)])""")
                .load();
        xpath.setContextItem(SAXON.newDocumentBuilder().build(m.asSource()));
        xpath.setVariable(new QName("tag"), new XdmAtomicValue(tag));
        xpath.setVariable(new QName("e"), new XdmAtomicValue(e));
        xpath.setVariable(new QName("c"), new XdmAtomicValue(c));
        return xpath.evaluateSingle().getStringValue();
    }
}
