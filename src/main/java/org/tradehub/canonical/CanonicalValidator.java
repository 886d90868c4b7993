package org.tradehub.canonical;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.ValidatorHandler;

import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Checks a canonical trade transaction (urn:tradehub:trade-transaction:1): structure against trade-transaction-1.xsd,
 * then every code against the shipped code lists, in one SAX pass. Reports all problems in plain language.
 * Thread-safe; the schema is compiled once in the constructor.
 */
public class CanonicalValidator {

    static final String NS = "urn:tradehub:trade-transaction:1";

    /** Elements that repeat, so their path needs a position: LineItem[2]. */
    private static final Set<String> REPEATING = Set.of("LineItem", "ID");

    private final CodeLists codeLists;
    private final Schema schema;
    private final SAXParserFactory parsers;

    /**
     * @param codeLists  the loaded code lists
     * @param schemaFile mappings/schemas/trade-transaction-1.xsd
     */
    public CanonicalValidator(CodeLists codeLists, Path schemaFile) {
        this.codeLists = codeLists;
        try {
            SchemaFactory schemas = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            schemas.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // the schema is one self-contained file: it may not pull in anything else
            schemas.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            schemas.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            this.schema = schemas.newSchema(schemaFile.toFile());

            parsers = SAXParserFactory.newInstance();
            parsers.setNamespaceAware(true);
            parsers.setXIncludeAware(false);
            parsers.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // a canonical document never has a DOCTYPE: refusing it closes XXE and entity expansion at once
            parsers.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            parsers.setFeature("http://xml.org/sax/features/external-general-entities", false);
            parsers.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            parsers.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (SAXException | ParserConfigurationException e) {
            throw new IllegalStateException("Cannot set up the canonical validator with " + schemaFile + ": " + e.getMessage(), e);
        }
    }

    /** Every violation in the document; an empty list when it is valid. */
    public List<Violation> validate(String canonicalXml) {
        Walk walk = new Walk();
        Tools tools = tools();
        try {
            tools.validator.setErrorHandler(walk);
            walk.validator = tools.validator;
            tools.parser.parse(new InputSource(new StringReader(canonicalXml)), walk);
        } catch (SAXParseException e) {
            String reason = e.getMessage() != null && e.getMessage().contains("DOCTYPE")
                    ? "the document has a DOCTYPE declaration, which is not allowed (no DTDs or entities in canonical documents)"
                    : "the document is not well-formed XML (line " + e.getLineNumber() + "): " + e.getMessage();
            walk.violations.add(new Violation(walk.path(), null, reason));
        } catch (SAXException | IOException e) {
            walk.violations.add(new Violation("", null, "the document cannot be read: " + e.getMessage()));
        } finally {
            tools.parser.reset();
        }
        return walk.violations;
    }

    /** Parser and validator set up once per thread: creating them costs more than validating a small order. */
    private record Tools(SAXParser parser, ValidatorHandler validator) {
    }

    private final ThreadLocal<Tools> tools = new ThreadLocal<>();

    private Tools tools() {
        Tools current = tools.get();
        if (current == null) {
            try {
                ValidatorHandler validator = schema.newValidatorHandler();
                validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
                validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
                current = new Tools(parsers.newSAXParser(), validator);
            } catch (SAXException | ParserConfigurationException e) {
                throw new IllegalStateException("Cannot create an XML parser: " + e.getMessage(), e);
            }
            tools.set(current);
        }
        return current;
    }

    /** @throws InvalidTradeTransactionException carrying every violation when the document is not valid */
    public void check(String canonicalXml) {
        List<Violation> violations = validate(canonicalXml);
        if (!violations.isEmpty()) {
            throw new InvalidTradeTransactionException(violations);
        }
    }

    /** One pass over one document: feeds the schema validator, tracks the path, checks codes as elements close. */
    private final class Walk extends DefaultHandler {

        final List<Violation> violations = new ArrayList<>();
        ValidatorHandler validator;
        private final Deque<String> path = new ArrayDeque<>();
        private final Deque<Map<String, Integer>> siblings = new ArrayDeque<>();
        private final StringBuilder text = new StringBuilder();
        private String pendingTypeError;
        private BigDecimal lineAmountSum = BigDecimal.ZERO;
        private boolean lineAmountsComplete = true;
        private BigDecimal lineTotal;

        String path() {
            // the root (TradeTransaction) is left out: paths read like LineItem[2]/HSCode
            List<String> parts = new ArrayList<>(path);
            Collections.reverse(parts);
            return parts.size() <= 1 ? "" : String.join("/", parts.subList(1, parts.size()));
        }

        @Override
        public void startDocument() throws SAXException {
            siblings.push(new HashMap<>());
            validator.startDocument();
        }

        @Override
        public void endDocument() throws SAXException {
            validator.endDocument();
            if (lineTotal != null && lineAmountsComplete && lineTotal.compareTo(lineAmountSum) != 0) {
                violations.add(new Violation("MonetarySummation/LineTotalAmount", lineTotal.toPlainString(),
                        "MonetarySummation/LineTotalAmount '" + lineTotal.toPlainString()
                                + "' is not the sum of the LineAmount values; it should be " + lineAmountSum.toPlainString()));
            }
        }

        @Override
        public void startPrefixMapping(String prefix, String uri) throws SAXException {
            validator.startPrefixMapping(prefix, uri);
        }

        @Override
        public void endPrefixMapping(String prefix) throws SAXException {
            validator.endPrefixMapping(prefix);
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
            int position = siblings.peek().merge(localName, 1, Integer::sum);
            path.push(REPEATING.contains(localName) ? localName + "[" + position + "]" : localName);
            siblings.push(new HashMap<>());
            text.setLength(0);
            validator.startElement(uri, localName, qName, attributes);
            String unitCode = attributes.getValue("", "unitCode");
            if (unitCode != null && !unitCode.isBlank() && !codeLists.isUnit(unitCode.trim())) {
                violations.add(CodeMessages.unit(path(), unitCode.trim()));
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            text.append(ch, start, length);
            validator.characters(ch, start, length);
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
            validator.ignorableWhitespace(ch, start, length);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            validator.endElement(uri, localName, qName);
            if (NS.equals(uri)) {
                checkValue(localName, text.toString().trim());
            }
            text.setLength(0);
            siblings.pop();
            path.pop();
        }

        private void checkValue(String element, String value) {
            if (value.isEmpty()) {
                return; // the schema reports empty and missing values
            }
            // the path is built only for a violation or an element whose check names it (most values are neither)
            java.util.function.Supplier<String> field = this::path;
            Violation violation = switch (element) {
                case "CountryID", "OriginCountryID", "DestinationCountryID" ->
                        codeLists.isCountry(value) ? null : CodeMessages.country(codeLists, field.get(), value);
                case "CountrySubDivisionID" -> CodeMessages.subdivision(codeLists, field.get(), value);
                case "InvoiceCurrencyCode" -> codeLists.isCurrency(value) ? null : CodeMessages.currency(codeLists, field.get(), value);
                case "HSCode" -> CodeMessages.hsCode(codeLists, field.get(), value);
                case "IncotermsCode" -> codeLists.isIncoterm(value) ? null : CodeMessages.incoterm(codeLists, field.get(), value);
                case "PlaceLocode" -> codeLists.isLocodeShape(value) ? null : CodeMessages.locode(field.get(), value);
                case "LineAmount" -> addLineAmount(value);
                case "LineTotalAmount" -> {
                    lineTotal = decimal(value);
                    yield null;
                }
                case "GrandTotalAmount" -> {
                    BigDecimal grandTotal = decimal(value);
                    yield grandTotal != null && grandTotal.signum() < 0
                            ? new Violation(field.get(), value, field.get() + " '" + value + "' is negative; an order total must be 0 or more")
                            : null;
                }
                default -> null;
            };
            if (violation != null) {
                violations.add(violation);
            }
        }

        private Violation addLineAmount(String value) {
            BigDecimal amount = decimal(value);
            if (amount == null) {
                lineAmountsComplete = false;
            } else {
                lineAmountSum = lineAmountSum.add(amount);
            }
            return null;
        }

        // ErrorHandler of the schema validator: collect and translate, never stop at the first error

        @Override
        public void error(SAXParseException e) {
            translate(e.getMessage());
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void warning(SAXParseException e) {
            // warnings do not make a document invalid
        }

        private void translate(String message) {
            String key = message.contains(":") ? message.substring(0, message.indexOf(':')) : "";
            switch (key) {
                // a datatype or facet error is followed by cvc-type.3.1.3 / cvc-attribute.3, which names the node
                case "cvc-datatype-valid.1.2.1", "cvc-minLength-valid", "cvc-maxLength-valid", "cvc-pattern-valid",
                     "cvc-minInclusive-valid", "cvc-enumeration-valid" -> pendingTypeError = message;
                case "cvc-type.3.1.3", "cvc-attribute.3", "cvc-complex-type.2.2" -> {
                    violations.add(SchemaMessages.badValue(path(), message, pendingTypeError));
                    pendingTypeError = null;
                }
                default -> violations.add(SchemaMessages.structure(path(), key, message));
            }
        }
    }

    private static BigDecimal decimal(String value) {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
