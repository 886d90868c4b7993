package org.tradehub.xml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.stream.XMLInputFactory;
import javax.xml.transform.Source;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXNotRecognizedException;
import org.xml.sax.SAXNotSupportedException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * One place that builds XML parsers, schema factories and validators hardened against XXE, DTD tricks and entity
 * expansion. Everything in the hub that reads XML from outside (partners, HMRC, the sandbox's callers) goes through
 * here, so a review of this class is a review of all of them ({@link ValidatingParser} only keeps builders made here
 * for reuse).
 *
 * <p>The JDK's own implementations are asked for explicitly ({@code newDefaultInstance}): Saxon and other jars on the
 * class path register service providers, and the security features below are only known to hold for the JDK ones.
 */
public final class SafeXml {

    /** Default upper bound for a document read with {@link #parse(byte[], int)} callers that have no better figure. */
    public static final int DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

    private static final String FEATURE_DISALLOW_DOCTYPE = "http://apache.org/xml/features/disallow-doctype-decl";
    private static final String FEATURE_EXTERNAL_GENERAL = "http://xml.org/sax/features/external-general-entities";
    private static final String FEATURE_EXTERNAL_PARAMETER = "http://xml.org/sax/features/external-parameter-entities";
    private static final String FEATURE_LOAD_EXTERNAL_DTD = "http://apache.org/xml/features/nonvalidating/load-external-dtd";
    /** The parser features every parser from here has: no DOCTYPE at all, nothing external. */
    private static final Map<String, Boolean> PARSER_FEATURES = Map.of(
            XMLConstants.FEATURE_SECURE_PROCESSING, true,
            FEATURE_DISALLOW_DOCTYPE, true,
            FEATURE_EXTERNAL_GENERAL, false,
            FEATURE_EXTERNAL_PARAMETER, false,
            FEATURE_LOAD_EXTERNAL_DTD, false);

    /**
     * One builder per thread for {@link #parse}: a new one costs more than parsing a small document (Xerces sets up
     * its whole parser configuration), and the hub parses several per order. Reset after each use.
     */
    private static final ThreadLocal<DocumentBuilder> THREAD_BUILDER = ThreadLocal.withInitial(SafeXml::documentBuilder);

    private SafeXml() {
    }

    /**
     * A namespace-aware DocumentBuilderFactory that refuses any DOCTYPE (so no internal or external entities, no
     * billion-laughs), never fetches anything, and does not expand XInclude.
     */
    public static DocumentBuilderFactory documentBuilderFactory() {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newDefaultInstance();
        dbf.setNamespaceAware(true);
        dbf.setXIncludeAware(false);
        dbf.setExpandEntityReferences(false);
        try {
            for (Map.Entry<String, Boolean> f : PARSER_FEATURES.entrySet()) {
                dbf.setFeature(f.getKey(), f.getValue());
            }
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK XML parser does not support a required security feature", e);
        }
        dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return dbf;
    }

    /** A fresh hardened DocumentBuilder (DocumentBuilders are not thread-safe: one per caller, or {@link #parse}). */
    public static DocumentBuilder documentBuilder() {
        try {
            DocumentBuilder builder = documentBuilderFactory().newDocumentBuilder();
            // The default handler prints to stderr; callers get the exception instead.
            builder.setErrorHandler(null);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses a document after checking its size, so a caller cannot make us buffer or walk an unbounded tree.
     *
     * @throws XmlRejectedException when the document is too large, not well-formed, or carries a DOCTYPE
     */
    public static Document parse(byte[] xml, int maxBytes) {
        return parse(xml, maxBytes, THREAD_BUILDER.get(), null);
    }

    /**
     * A hardened builder that validates against {@code schema} while it parses, in the same single pass: each
     * validity error goes to the error handler given to {@link #parse(byte[], int, DocumentBuilder, ErrorHandler)},
     * a document that is not well-formed is refused as by {@link #parse(byte[], int)}. Like every builder from
     * here it fetches nothing (a document's xsi:schemaLocation included). Not thread-safe: see {@link ValidatingParser}.
     */
    static DocumentBuilder validatingDocumentBuilder(Schema schema) {
        DocumentBuilderFactory dbf = documentBuilderFactory();
        dbf.setSchema(schema);
        try {
            DocumentBuilder builder = dbf.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@link #parse(byte[], int)} with a builder of the caller's, such as a {@link #validatingDocumentBuilder}; its
     * validity errors (if it validates) go to {@code errors}. The builder is reset afterwards.
     *
     * @throws XmlRejectedException when the document is too large, not well-formed, or carries a DOCTYPE
     */
    static Document parse(byte[] xml, int maxBytes, DocumentBuilder builder, ErrorHandler errors) {
        if (xml == null || xml.length == 0) {
            throw new XmlRejectedException("The XML document is empty");
        }
        if (xml.length > maxBytes) {
            throw new XmlRejectedException("The XML document is " + xml.length + " bytes; the limit is " + maxBytes);
        }
        try {
            builder.setErrorHandler(errors);
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXException e) {
            throw new XmlRejectedException("The XML document is not well-formed or not allowed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new XmlRejectedException("The XML document could not be read: " + e.getMessage(), e);
        } finally {
            // back to the factory's hardened settings for the next document on this thread
            builder.reset();
            builder.setErrorHandler(null);
        }
    }

    /**
     * An error handler for {@link #parse(byte[], int, DocumentBuilder, ErrorHandler)} with a validating builder: each
     * validity error, as {@code describe} words it, into {@code errors}; warnings ignored; a document that is not
     * well-formed is thrown out (the parse fails).
     */
    static ErrorHandler collecting(List<String> errors, Function<SAXParseException, String> describe) {
        return new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) {
                errors.add(describe.apply(e));
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXParseException {
                throw e;
            }
        };
    }

    /** The first child element of that local name (any namespace); null when there is none or no parent. */
    public static Element child(Element parent, String localName) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    /** Every child element of that local name (any namespace), in order; empty when there is none or no parent. */
    public static List<Element> children(Element parent, String localName) {
        List<Element> result = new ArrayList<>();
        if (parent == null) {
            return result;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                result.add(e);
            }
        }
        return result;
    }

    /** The stripped text of {@link #child}; null when the child is absent or blank. */
    public static String childText(Element parent, String localName) {
        Element e = child(parent, localName);
        if (e == null) {
            return null;
        }
        String t = e.getTextContent().strip();
        return t.isEmpty() ? null : t;
    }

    /**
     * A SchemaFactory for compiling our own, trusted schemas from the local file system. Imports may only be
     * resolved from files (the WCO schemas import each other by relative path); never over the network.
     */
    public static SchemaFactory schemaFactory() {
        SchemaFactory sf = SchemaFactory.newDefaultInstance();
        try {
            sf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            sf.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            sf.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
        } catch (SAXNotRecognizedException | SAXNotSupportedException e) {
            throw new IllegalStateException("The JDK SchemaFactory does not support a required security feature", e);
        }
        return sf;
    }

    /**
     * Compiles one schema from several entry files. The WCO DMS wrapper (DocumentMetaData_2_DMS.xsd) only allows the
     * Declaration/Response through a strict wildcard without importing it, so HMRC compile it together with
     * WCO_DEC_2_DMS.xsd (or WCO_RES_2_DMS.xsd); so do we.
     */
    public static Schema compileSchema(List<Path> xsdFiles) {
        Source[] sources = xsdFiles.stream()
                .map(p -> new StreamSource(p.toFile()))
                .toArray(Source[]::new);
        try {
            return schemaFactory().newSchema(sources);
        } catch (SAXException e) {
            throw new IllegalStateException("Cannot compile schema " + xsdFiles + ": " + e.getMessage(), e);
        }
    }

    /**
     * A validator that cannot be made to fetch anything by the document it validates (xsi:schemaLocation, DTDs).
     */
    public static Validator validator(Schema schema) {
        Validator validator = schema.newValidator();
        try {
            validator.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (SAXNotRecognizedException | SAXNotSupportedException e) {
            throw new IllegalStateException("The JDK Validator does not support a required security feature", e);
        }
        return validator;
    }

    /** A namespace-aware SAX reader with the same hardening as {@link #documentBuilderFactory()}: no DOCTYPE at all. */
    public static XMLReader xmlReader() {
        SAXParserFactory spf = SAXParserFactory.newDefaultInstance();
        spf.setNamespaceAware(true);
        spf.setXIncludeAware(false);
        try {
            for (Map.Entry<String, Boolean> f : PARSER_FEATURES.entrySet()) {
                spf.setFeature(f.getKey(), f.getValue());
            }
            return spf.newSAXParser().getXMLReader();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("The JDK SAX parser does not support a required security feature", e);
        }
    }

    /** A StAX factory that neither reads DTDs nor resolves external entities. */
    public static XMLInputFactory xmlInputFactory() {
        XMLInputFactory xif = XMLInputFactory.newDefaultFactory();
        xif.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        xif.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        xif.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        return xif;
    }

    /** A JDK TransformerFactory for serialising DOM trees; it may not load stylesheets or DTDs from anywhere. */
    public static TransformerFactory transformerFactory() {
        TransformerFactory tf = TransformerFactory.newDefaultInstance();
        try {
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (javax.xml.transform.TransformerConfigurationException e) {
            throw new IllegalStateException(e);
        }
        tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        return tf;
    }

    /** Raised when untrusted XML is refused: too large, not well-formed, or using DTD features. */
    public static class XmlRejectedException extends RuntimeException {
        public XmlRejectedException(String message) {
            super(message);
        }

        public XmlRejectedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
