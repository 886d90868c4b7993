package org.tradehub.singlewindow;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.tradehub.canonical.CodeLists;
import org.tradehub.singlewindow.DmsNotification.DmsError;
import org.tradehub.xml.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads DMS notifications pushed by HMRC (or the sandbox). Elements are matched on local names, so the real
 * namespaced messages (md:MetaData / RES-DMS Response / Response_DS DateTimeString) and HMRC's un-namespaced
 * annotated examples read the same way. Parsing is hardened by {@link SafeXml}; the size limit keeps a hostile or
 * broken callback from making us buffer or walk an unbounded tree.
 */
public class DmsNotificationReader {

    /** Notifications are small (a DMSTAX for many items stays well below this). */
    public static final int MAX_BYTES = 2 * 1024 * 1024;

    private static final String GOODS_ITEM_SECTION = "68A";
    private static final Pattern DMS_DATE_TIME = Pattern.compile("(\\d{8})(\\d{6})?(Z|[-+]\\d\\d)?");

    private final Map<String, String> errorDescriptions;
    private final Map<String, String> sectionNames;

    public DmsNotificationReader(Path errorCodesCsv, Path sectionCodesCsv) {
        this.errorDescriptions = CodeLists.descriptions(errorCodesCsv);
        this.sectionNames = CodeLists.descriptions(sectionCodesCsv);
    }

    /** The reader over the code lists in mappings/codelists under the given mappings folder. */
    public static DmsNotificationReader fromMappings(Path mappingsDir) {
        return new DmsNotificationReader(
                mappingsDir.resolve("codelists/cds-error-codes.csv"),
                mappingsDir.resolve("codelists/wco-dms-section-codes.csv"));
    }

    /** The first (normally the only) Response of a notification. */
    public DmsNotification parse(byte[] xml) {
        List<DmsNotification> all = parseAll(xml);
        return all.get(0);
    }

    /** Every Response of a notification (the schema allows several in one MetaData). */
    public List<DmsNotification> parseAll(byte[] xml) {
        Document doc = SafeXml.parse(xml, MAX_BYTES);
        Element root = doc.getDocumentElement();
        if (!"MetaData".equals(localName(root))) {
            throw new SafeXml.XmlRejectedException("Not a DMS notification: root element is " + localName(root));
        }
        List<Element> responses = children(root, "Response");
        if (responses.isEmpty()) {
            throw new SafeXml.XmlRejectedException("Not a DMS notification: MetaData has no Response");
        }
        return responses.stream().map(this::read).toList();
    }

    /** Plain description of a validation code; unknown codes get a generic one that names the code. */
    public String describeError(String validationCode) {
        String known = errorDescriptions.get(validationCode);
        if (known != null) {
            return known;
        }
        return "Customs reported validation error " + validationCode
                + "; look the code up in HMRC's CDS error code list or ask the customs broker.";
    }

    private DmsNotification read(Element response) {
        String functionCode = text(response, "FunctionCode");
        Optional<DmsFunction> function = DmsFunction.of(functionCode);
        Element declaration = children(response, "Declaration").stream().findFirst().orElse(null);
        String lrn = declaration == null ? null : text(declaration, "FunctionalReferenceID");
        String mrn = declaration == null ? null : text(declaration, "ID");
        Instant issued = child(response, "IssueDateTime").map(e -> dateTime(text(e, "DateTimeString"))).orElse(null);

        List<DmsError> errors = children(response, "Error").stream().map(this::error).toList();
        String summary = summary(function.orElse(null), functionCode, response, lrn, mrn, errors);
        return new DmsNotification(
                functionCode,
                function.map(DmsFunction::messageName).orElse("UNKNOWN"),
                function.map(DmsFunction::eventType).orElse(DmsFunction.UNKNOWN_EVENT),
                text(response, "FunctionalReferenceID"),
                lrn, mrn, issued, errors, summary);
    }

    private DmsError error(Element error) {
        String code = text(error, "ValidationCode");
        List<String> compact = new ArrayList<>();
        List<String> readable = new ArrayList<>();
        Integer goodsItem = null;
        String tag = null;
        for (Element pointer : children(error, "Pointer")) {
            String section = text(pointer, "DocumentSectionCode");
            String sequence = text(pointer, "SequenceNumeric");
            String tagId = text(pointer, "TagID");
            String suffix = sequence == null ? "" : "(" + sequence + ")";
            if (section != null) {
                compact.add(section + suffix);
                readable.add(sectionNames.getOrDefault(section, section) + suffix);
            }
            if (GOODS_ITEM_SECTION.equals(section) && sequence != null) {
                goodsItem = parseIntOrNull(sequence);
            }
            if (tagId != null) {
                tag = tagId;
            }
        }
        String pointer = String.join("/", compact) + (tag == null ? "" : " " + tag);
        String location = String.join(" > ", readable) + (tag == null ? "" : " [tag " + tag + "]");
        String description = code == null ? "Customs reported an error without a validation code" : describeError(code);
        return new DmsError(code, description, pointer.strip(), location.strip(), goodsItem);
    }

    private String summary(DmsFunction function, String functionCode, Element response, String lrn, String mrn,
            List<DmsError> errors) {
        String ref = "declaration " + (lrn == null ? "(no LRN)" : lrn) + (mrn == null ? "" : " (MRN " + mrn + ")");
        if (function == null) {
            return "Customs sent a notification with function code " + functionCode + " for " + ref
                    + "; the hub does not know this code, please check it in the CDS service.";
        }
        String statement = children(response, "AdditionalInformation").stream()
                .map(ai -> text(ai, "StatementDescription")).filter(s -> s != null).findFirst().orElse(null);
        return switch (function) {
            case RECEIVED -> "Customs received " + ref + ".";
            case ACCEPTED -> "Customs accepted " + ref + ".";
            case REJECTED -> "Customs rejected " + ref + ": " + (errors.isEmpty() ? "no reason given."
                    : errors.stream().map(this::explain).collect(Collectors.joining("; ")) + ".");
            case CONTROL -> "Customs will inspect the goods of " + ref + "; they cannot leave until the check is done.";
            case DOCUMENTS_REQUIRED -> "Customs asks for supporting documents for " + ref + ".";
            case CORRECTED_BY_CUSTOMS -> "Customs corrected " + ref + " after checking it.";
            case RELEASED -> "The goods of " + ref + " are released.";
            case CLEARED -> "Customs cleared " + ref + ": the goods may be exported.";
            case INVALIDATED -> "Customs invalidated (cancelled) " + ref + (statement == null ? "." : ": " + statement);
            case REQUEST_ACCEPTED -> "Customs accepted the amendment or cancellation request for " + ref + ".";
            case TAX_CALCULATED -> "Customs calculated the duties and taxes for " + ref + ".";
            case PAYMENT_INSUFFICIENT -> "The balance on the payment account is not enough for " + ref
                    + "; the goods cannot be released until it is topped up.";
            case PAYMENT_REMINDER -> "Reminder: payment for " + ref + " is still outstanding.";
            case EXITED -> "The goods of " + ref + " have left the country"
                    + (statement == null ? "." : " (office of exit " + statement + ").");
            case GER -> "Customs sent a DMSGER notification for " + ref + ".";
        };
    }

    private String explain(DmsError error) {
        StringBuilder sb = new StringBuilder();
        sb.append(error.validationCode() == null ? "error" : error.validationCode())
                .append(" (").append(error.description().replaceAll("\\.$", "")).append(")");
        if (error.goodsItem() != null) {
            sb.append(" at goods item ").append(error.goodsItem());
        }
        if (!error.location().isEmpty()) {
            sb.append(error.goodsItem() != null ? ", " : " at ").append(error.location());
        }
        return sb.toString();
    }

    /** DMS date-times: format 304 = yyyyMMddHHmmss + Z or ±hh, format 102 = yyyyMMdd. */
    static Instant dateTime(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = DMS_DATE_TIME.matcher(value.strip());
        if (!m.matches()) {
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(m.group(1), DateTimeFormatter.BASIC_ISO_DATE);
            if (m.group(2) == null) {
                return date.atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            LocalDateTime local = LocalDateTime.of(date, java.time.LocalTime.parse(m.group(2),
                    DateTimeFormatter.ofPattern("HHmmss")));
            String zone = m.group(3);
            ZoneOffset offset = zone == null || "Z".equals(zone) ? ZoneOffset.UTC
                    : ZoneOffset.ofHours(Integer.parseInt(zone));
            return local.toInstant(offset);
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    private static Integer parseIntOrNull(String s) {
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String localName(Node node) {
        return node.getLocalName() != null ? node.getLocalName() : node.getNodeName();
    }

    static List<Element> children(Element parent, String localName) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(localName(e))) {
                result.add(e);
            }
        }
        return result;
    }

    static Optional<Element> child(Element parent, String localName) {
        return children(parent, localName).stream().findFirst();
    }

    /** Trimmed text of the first child element with that local name; null when absent or empty. */
    static String text(Element parent, String localName) {
        return child(parent, localName).map(Node::getTextContent).map(String::strip)
                .filter(s -> !s.isEmpty()).orElse(null);
    }
}
