package org.tradehub.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradehub.xml.SafeXml;
import org.tradehub.xml.ValidatingParser;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXParseException;
import org.tradehub.ledger.Ids;
import org.tradehub.singlewindow.DmsNotification;

/**
 * A stand-in for HMRC's Customs Declarations API (POST /customs/declarations/) for the hub's embedded default and
 * tests. It honours the same contract: the headers the OpenAPI requires, a 400 XML errorResponse for a payload that
 * is not schema-valid, 202 with X-Conversation-ID otherwise, and DMS notifications pushed to the hub's callback
 * afterwards (DMSRCV, then DMSACC or DMSREJ).
 *
 * <p>An LRN is used once per submitter, as CDS requires: a second submission with an LRN already used is taken (202,
 * a conversation of its own) and then rejected with DMSREJ CDS12003 (the LRN has already been used), pointing at DE
 * 2/5. The first submission's conversation goes on as before. This is what the hub meets when it retries a
 * submission whose answer it never saw.
 *
 * <p>Business rules checked here (schema-valid declarations that CDS would still reject): the exporter EORI must
 * start with GB or XI, and each goods item must carry an 8-digit commodity code (Classification type TSP).
 */
public class SandboxSingleWindow implements AutoCloseable {

    public static final String CONVERSATION_ID_HEADER = "X-Conversation-ID";
    static final String XML_CONTENT_TYPE = "application/xml; charset=UTF-8";
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    static final int MAX_PUSH_ATTEMPTS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(SandboxSingleWindow.class);
    private static final Pattern BADGE = Pattern.compile("[0-9A-Z]{6,12}");
    private static final Pattern SUBMITTER = Pattern.compile("[0-9A-Za-z]{1,17}");
    private static final Pattern COMMODITY_CODE = Pattern.compile("[0-9]{8}");
    private static final DateTimeFormatter DMS_304 = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String MRN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** Parses a submission and validates it against the declaration schema in one pass. */
    private final ValidatingParser declarations;
    private final String expectedBearerToken;
    private final URI callbackUrl;
    private final String callbackToken;
    private final Duration notificationDelay;
    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    /**
     * Pushes in flight at once. Each waits for the hub's 202, which comes only once the notification is durably
     * recorded (tens of milliseconds under load): with 8 the sandbox, not the hub, capped the end-to-end benchmark at
     * about 80 orders/s (two pushes per order, ~50 ms each, all 8 threads waiting on answers).
     */
    private static final int NOTIFIER_THREADS = 64;
    /** submitter + LRN -> the conversation id of the submission that used the LRN first */
    private final Map<String, String> conversations = new ConcurrentHashMap<>();

    /**
     * @param schemaDir           the hub's schema folder (mappings/schemas): the declaration schema is read from
     *                            wco/declaration/ under it and compiled once
     * @param expectedBearerToken the token callers must send as "Authorization: Bearer ..."
     * @param callbackUrl         where notifications are POSTed (the hub's notification endpoint)
     * @param callbackToken       sent as "Authorization: Bearer ..." with each notification
     * @param notificationDelay   delay before each notification (and the base of the retry back-off)
     */
    public SandboxSingleWindow(Path schemaDir, String expectedBearerToken, URI callbackUrl, String callbackToken,
            Duration notificationDelay) {
        Path declarationDir = schemaDir.resolve("wco/declaration");
        // The metadata wrapper admits the Declaration only through a strict wildcard it does not import;
        // HMRC compile it together with WCO_DEC_2_DMS.xsd, and so do we.
        this.declarations = new ValidatingParser(SafeXml.compileSchema(List.of(
                declarationDir.resolve("DocumentMetaData_2_DMS.xsd"),
                declarationDir.resolve("WCO_DEC_2_DMS.xsd"))));
        this.expectedBearerToken = expectedBearerToken;
        this.callbackUrl = callbackUrl;
        this.callbackToken = callbackToken;
        this.notificationDelay = notificationDelay == null ? Duration.ofMillis(300) : notificationDelay;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // Many pushes at once, like HMRC's push service (NOTIFIER_THREADS). A conversation's notifications stay in
        // order: each is scheduled only after the one before.
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(NOTIFIER_THREADS, r -> {
            Thread t = new Thread(r, "sandbox-single-window-notifier-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Handles POST /customs/declarations/ with the request headers (any case) and body. */
    public SandboxResponse submit(Map<String, String> requestHeaders, byte[] body) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (requestHeaders != null) {
            requestHeaders.forEach((k, v) -> {
                if (k != null && v != null) {
                    headers.put(k, v);
                }
            });
        }
        if (!"application/vnd.hmrc.1.0+xml".equalsIgnoreCase(strip(headers.get("Accept")))) {
            return error(406, "ACCEPT_HEADER_INVALID", "The accept header is missing or invalid", List.of());
        }
        if (!"application/xml;charset=utf-8".equals(normaliseMediaType(headers.get("Content-Type")))) {
            return error(415, "UNSUPPORTED_MEDIA_TYPE", "The content type header is missing or invalid", List.of());
        }
        String authorization = strip(headers.get("Authorization"));
        if (authorization == null || !authorization.startsWith("Bearer ")
                || !constantTimeEquals(authorization.substring(7).strip(), expectedBearerToken)) {
            return error(401, "UNAUTHORIZED", "Bearer token is missing or not authorized", List.of());
        }
        String badge = strip(headers.get("X-Badge-Identifier"));
        String submitter = strip(headers.get("X-Submitter-Identifier"));
        if (badge != null && !BADGE.matcher(badge).matches()) {
            return error(400, "BAD_REQUEST", "X-Badge-Identifier header is missing or invalid", List.of());
        }
        if (submitter != null && !SUBMITTER.matcher(submitter).matches()) {
            return error(400, "BAD_REQUEST", "X-Submitter-Identifier header is missing or invalid", List.of());
        }
        if (badge == null && submitter == null) {
            return error(400, "BAD_REQUEST", "X-Badge-Identifier or X-Submitter-Identifier header is required", List.of());
        }

        List<String> schemaErrors = new ArrayList<>();
        Document doc;
        try {
            doc = declarations.parse(body, MAX_BODY_BYTES, schemaErrors, SandboxSingleWindow::describe);
        } catch (SafeXml.XmlRejectedException e) {
            return error(400, "BAD_REQUEST", "Request body does not contain a well-formed XML document.",
                    List.of(e.getMessage()));
        }
        if (!schemaErrors.isEmpty()) {
            return error(400, "BAD_REQUEST", "Payload is not valid according to schema", schemaErrors);
        }

        Element declaration = SafeXml.child(doc.getDocumentElement(), "Declaration");
        String lrn = SafeXml.childText(declaration, "FunctionalReferenceID");
        String key = (badge != null ? "badge:" + badge : "submitter:" + submitter) + "|" + lrn;
        String conversationId = Ids.random().toString();
        String first = conversations.putIfAbsent(key, conversationId);
        if (first == null) {
            push(conversationId, notifications(lrn, businessRuleErrors(declaration)));
        } else {
            LOG.info("Sandbox: LRN {} submitted again (conversation {}), first used by conversation {}: rejecting it",
                    lrn, conversationId, first);
            // refused before it is received: DMSREJ alone, CDS12003 at DE 2/5 (Declaration, tag D026)
            push(conversationId, List.of(notification("03", lrn, newMrn(), List.of(new RuleError(
                    DmsNotification.LRN_ALREADY_USED, List.of(new Ptr("42A", null, "D026")))))));
        }
        return new SandboxResponse(202, Map.of(CONVERSATION_ID_HEADER, conversationId), new byte[0]);
    }

    /** Stops pushing notifications; pending ones are dropped. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    // ----- validation -----

    private static String describe(SAXParseException e) {
        return "Error at line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ": " + e.getMessage();
    }

    /** Pointer-carrying errors for schema-valid declarations that break a rule CDS enforces. */
    List<RuleError> businessRuleErrors(Element declaration) {
        List<RuleError> errors = new ArrayList<>();
        Element exporter = SafeXml.child(declaration, "Exporter");
        String eori = exporter == null ? null : SafeXml.childText(exporter, "ID");
        if (eori == null || !(eori.startsWith("GB") || eori.startsWith("XI"))) {
            // CDS12005: party identifier unknown or not valid for the role
            errors.add(new RuleError("CDS12005", List.of(new Ptr("42A", null, null), new Ptr("57A", null, null))));
        }
        Element shipment = SafeXml.child(declaration, "GoodsShipment");
        if (shipment != null) {
            for (Element item : SafeXml.children(shipment, "GovernmentAgencyGoodsItem")) {
                String sequence = SafeXml.childText(item, "SequenceNumeric");
                Element commodity = SafeXml.child(item, "Commodity");
                String code = null;
                if (commodity != null) {
                    for (Element classification : SafeXml.children(commodity, "Classification")) {
                        if ("TSP".equals(SafeXml.childText(classification, "IdentificationTypeCode"))) {
                            code = SafeXml.childText(classification, "ID");
                        }
                    }
                }
                if (code == null || !COMMODITY_CODE.matcher(code).matches()) {
                    // CDS10004: commodity code missing or badly formatted
                    errors.add(new RuleError("CDS10004", List.of(new Ptr("42A", null, null), new Ptr("67A", null, null),
                            new Ptr("68A", sequence, null), new Ptr("23A", null, null), new Ptr("21A", null, null))));
                }
            }
        }
        return errors;
    }

    /** A DMS error pointer: the class (document section code), the item's sequence number, the data item's tag. */
    record Ptr(String section, String sequence, String tagId) {
    }

    record RuleError(String validationCode, List<Ptr> pointers) {
    }

    // ----- notifications -----

    /** DMSRCV, then DMSACC, or DMSREJ with the business rules broken. */
    private List<byte[]> notifications(String lrn, List<RuleError> ruleErrors) {
        String mrn = newMrn();
        return List.of(notification("02", lrn, mrn, List.of()), ruleErrors.isEmpty()
                ? notification("01", lrn, mrn, List.of())
                : notification("03", lrn, mrn, ruleErrors));
    }

    /** Pushes a conversation's notifications in order, the first after the configured delay. */
    private void push(String conversationId, List<byte[]> messages) {
        scheduler.schedule(() -> deliver(conversationId, messages, 0, 1),
                notificationDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Sends messages[index]; on success the next one follows after the configured delay, so the order is kept even
     * when a push has to be retried (back-off doubles from the delay, as HMRC's push service also retries).
     */
    private void deliver(String conversationId, List<byte[]> messages, int index, int attempt) {
        if (index >= messages.size()) {
            return;
        }
        boolean delivered = push(conversationId, messages.get(index));
        if (delivered || attempt >= MAX_PUSH_ATTEMPTS) {
            if (!delivered) {
                LOG.warn("Sandbox: giving up notification {} of conversation {} after {} attempts",
                        index + 1, conversationId, attempt);
            }
            scheduleSafely(() -> deliver(conversationId, messages, index + 1, 1), notificationDelay.toMillis());
        } else {
            scheduleSafely(() -> deliver(conversationId, messages, index, attempt + 1),
                    notificationDelay.toMillis() * (1L << attempt));
        }
    }

    private void scheduleSafely(Runnable task, long delayMillis) {
        if (!scheduler.isShutdown()) {
            scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private boolean push(String conversationId, byte[] xml) {
        HttpRequest request = HttpRequest.newBuilder(callbackUrl)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", XML_CONTENT_TYPE)
                .header(CONVERSATION_ID_HEADER, conversationId)
                .header("Authorization", "Bearer " + callbackToken)
                .POST(HttpRequest.BodyPublishers.ofByteArray(xml))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2;
        } catch (IOException e) {
            LOG.debug("Sandbox: push to {} failed: {}", callbackUrl, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A DMS notification in the real namespaces (validates against the notification schema). */
    byte[] notification(String functionCode, String lrn, String mrn, List<RuleError> errors) {
        String now = DMS_304.format(clock.instant());
        StringBuilder sb = new StringBuilder(1024);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<md:MetaData xmlns:md=\"urn:wco:datamodel:WCO:DocumentMetaData-DMS:2\"")
                .append(" xmlns=\"urn:wco:datamodel:WCO:RES-DMS:2\"")
                .append(" xmlns:ds=\"urn:wco:datamodel:WCO:Response_DS:DMS:2\">\n")
                .append("  <md:WCODataModelVersionCode>3.6</md:WCODataModelVersionCode>\n")
                .append("  <md:WCOTypeName>RES</md:WCOTypeName>\n")
                .append("  <md:ResponsibleCountryCode>GB</md:ResponsibleCountryCode>\n")
                .append("  <md:ResponsibleAgencyName>HMRC</md:ResponsibleAgencyName>\n")
                .append("  <Response>\n")
                .append("    <FunctionCode>").append(functionCode).append("</FunctionCode>\n")
                .append("    <FunctionalReferenceID>").append(Ids.random().toString().replace("-", ""))
                .append("</FunctionalReferenceID>\n")
                .append("    <IssueDateTime>").append(dateTime(now)).append("</IssueDateTime>\n");
        for (RuleError error : errors) {
            sb.append("    <Error>\n      <ValidationCode>").append(error.validationCode()).append("</ValidationCode>\n");
            for (Ptr p : error.pointers()) {
                sb.append("      <Pointer>");
                if (p.sequence() != null) {
                    sb.append("<SequenceNumeric>").append(escape(p.sequence())).append("</SequenceNumeric>");
                }
                sb.append("<DocumentSectionCode>").append(p.section()).append("</DocumentSectionCode>");
                if (p.tagId() != null) {
                    sb.append("<TagID>").append(p.tagId()).append("</TagID>");
                }
                sb.append("</Pointer>\n");
            }
            sb.append("    </Error>\n");
        }
        sb.append("    <Declaration>\n");
        if ("01".equals(functionCode)) {
            sb.append("      <AcceptanceDateTime>").append(dateTime(now)).append("</AcceptanceDateTime>\n");
        }
        sb.append("      <FunctionalReferenceID>").append(escape(lrn)).append("</FunctionalReferenceID>\n")
                .append("      <ID>").append(mrn).append("</ID>\n");
        if ("03".equals(functionCode)) {
            sb.append("      <RejectionDateTime>").append(dateTime(now)).append("</RejectionDateTime>\n");
        }
        sb.append("      <VersionID>1</VersionID>\n")
                .append("    </Declaration>\n  </Response>\n</md:MetaData>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String dateTime(String dms304) {
        return "<ds:DateTimeString formatCode=\"304\">" + dms304 + "</ds:DateTimeString>";
    }

    /** An MRN shaped like CDS's: two-digit year, GB, 14 letters/digits (e.g. 19GBCKKCQSXV2FGVA8). */
    private String newMrn() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%02d", clock.instant().atZone(ZoneOffset.UTC).getYear() % 100)).append("GB");
        for (int i = 0; i < 14; i++) {
            sb.append(MRN_ALPHABET.charAt(random.nextInt(MRN_ALPHABET.length())));
        }
        return sb.toString();
    }

    // ----- responses and helpers -----

    private static SandboxResponse error(int status, String code, String message, List<String> details) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errorResponse>\n");
        sb.append("  <code>").append(escape(code)).append("</code>\n");
        sb.append("  <message>").append(escape(message)).append("</message>\n");
        if (!details.isEmpty()) {
            sb.append("  <errors>\n");
            for (String detail : details) {
                sb.append("    <error>\n      <code>xml_validation_error</code>\n      <message>")
                        .append(escape(detail)).append("</message>\n    </error>\n");
            }
            sb.append("  </errors>\n");
        }
        sb.append("</errorResponse>\n");
        return new SandboxResponse(status, Map.of("Content-Type", XML_CONTENT_TYPE),
                sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String normaliseMediaType(String value) {
        return value == null ? null : value.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private static String strip(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static boolean constantTimeEquals(String given, String expected) {
        return expected != null && java.security.MessageDigest.isEqual(
                given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

}
