package org.tradehub.edi;

import java.io.File;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.XMLConstants;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.XdmAtomicValue;
import net.sf.saxon.s9api.XdmValue;
import net.sf.saxon.s9api.Xslt30Transformer;
import net.sf.saxon.s9api.XsltExecutable;

/** Compiles each template once (as the route does) and validates results against the canonical schema. */
final class Mapping {
    private static final Processor SAXON = new Processor(false);
    private static final Map<String, XsltExecutable> COMPILED = new ConcurrentHashMap<>();
    private static final Schema CANONICAL = canonicalSchema();

    private Mapping() {
    }

    static String transform(String template, Source input, String channel, String partner) throws Exception {
        XsltExecutable exec = COMPILED.computeIfAbsent(template, t -> {
            try {
                return SAXON.newXsltCompiler().compile(new StreamSource(new File("mappings/inbound/" + t)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Xslt30Transformer t = exec.load30();
        Map<QName, XdmValue> params = new java.util.HashMap<>();
        params.put(new QName("hubChannel"), new XdmAtomicValue(channel));
        params.put(new QName("hubPartnerId"), new XdmAtomicValue(partner));
        t.setStylesheetParameters(params);
        StringWriter out = new StringWriter();
        t.transform(input, SAXON.newSerializer(out));
        return out.toString();
    }

    static void validate(String xml) throws Exception {
        CANONICAL.newValidator().validate(new StreamSource(new StringReader(xml)));
    }

    private static Schema canonicalSchema() {
        try {
            SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return f.newSchema(new File("mappings/schemas/trade-transaction-1.xsd"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
