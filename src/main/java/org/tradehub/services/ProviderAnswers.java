package org.tradehub.services;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.config.HubProperties;
import org.tradehub.ledger.Ledger;
import org.tradehub.web.BearerToken;
import org.tradehub.web.HubProblemException;
import org.tradehub.xml.SafeXml;
import org.tradehub.xml.ValidatingParser;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXParseException;
import org.tradehub.ledger.Ids;

/**
 * Answers from providers (booking confirmations, tracking events, insurance certificates, financing decisions,
 * filing acknowledgements), from any channel: an HTTP callback authenticated per provider, or a file or message
 * on hub.answers.received. Each is kept as received, correlated by the reference the hub sent, and applied to its
 * plan step(s) once. Nothing is dropped: a duplicate, an answer for an unknown reference, one after the step's due
 * time, or one contradicting a final step is kept and flagged (table provider_answer, visible in the API).
 */
@Component("providerAnswers")
public class ProviderAnswers {

    public static final String PROVIDER = "hubAnswerProvider";
    private static final Logger LOG = LoggerFactory.getLogger(ProviderAnswers.class);

    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final PlanSteps steps;
    private final ProviderRegistry registry;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    /** ProviderAnswer XML, parsed and validated against its schema in one pass. */
    private final ValidatingParser answers;
    private final CustomsBrokers brokers;

    public ProviderAnswers(JdbcTemplate jdbc, Ledger ledger, PlanSteps steps, ProviderRegistry registry,
                           TransactionTemplate tx, ObjectMapper json, HubProperties hub, CustomsBrokers brokers) {
        this.brokers = brokers;
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.steps = steps;
        this.registry = registry;
        this.tx = tx;
        this.json = json;
        this.answers = new ValidatingParser(SafeXml.compileSchema(List.of(
                hub.mappingsDir().resolve("schemas/services/provider-answer.xsd"))));
    }

    /** POST /callbacks/providers/{provider}: the provider's own callback token, checked before the body is read. */
    public void authenticate(Exchange exchange) {
        Message in = exchange.getMessage();
        String providerId = in.getHeader("provider", String.class);
        ProviderRegistry.Provider p = registry.authenticateCallback(providerId,
                BearerToken.of(in.getHeader("Authorization", String.class))).orElseThrow(() ->
                HubProblemException.unauthorized("A provider callback needs that provider's registered bearer token."));
        exchange.setProperty(PROVIDER, p.id());
        exchange.setProperty("hubAnswerChannel", "http");
    }

    /** hub.answers.received: the channel's partner id names the provider (unknown partners are kept, flagged). */
    public void fromChannel(Exchange exchange) {
        Message in = exchange.getMessage();
        String channel = in.getHeader("hubChannel", String.class);
        exchange.setProperty("hubAnswerChannel", channel == null ? "unknown" : channel);
        registry.byChannelPartner(channel, in.getHeader("hubPartnerId", String.class))
                .ifPresent(p -> exchange.setProperty(PROVIDER, p.id()));
    }

    record Answer(String answerId, String reference, String type, String status, String providerReference,
                  String reason, Map<String, String> details) {}

    /** Keeps, correlates, applies and flags one answer; for HTTP, answers 202 (400 when it cannot be read). */
    public void record(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] body = in.getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        String providerId = exchange.getProperty(PROVIDER, String.class);
        String channel = exchange.getProperty("hubAnswerChannel", String.class);
        Answer answer;
        String unreadable = null;
        try {
            answer = parse(body);
        } catch (RuntimeException e) {
            answer = null;
            unreadable = e.getMessage();
        }
        final Answer a = answer;
        final byte[] content = body;
        final String problem = unreadable;
        String fingerprint = Ledger.sha256((providerId + "|" + (a != null && a.answerId() != null ? a.answerId()
                : Ledger.sha256(body))).getBytes(StandardCharsets.UTF_8));
        String flag = tx.execute(s -> {
            if (problem == null) {
                return apply(providerId, channel, a, fingerprint, content);
            }
            keep(providerId, channel, null, null, null, "UNREADABLE", "Not a readable provider answer: " + problem,
                    fingerprint, content);
            return "UNREADABLE";
        });
        if (!"http".equals(channel)) {
            return;
        }
        in.removeHeaders("*");
        if (problem != null) {
            throw HubProblemException.badRequest("The answer is kept but cannot be read: " + problem);
        }
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody("{\"status\":\"" + flag + "\"}");
    }

    private String apply(String providerId, String channel, Answer a, String fingerprint, byte[] body) {
        if (jdbc.queryForObject("select count(*) from provider_answer where fingerprint = ?", Integer.class,
                fingerprint) > 0) {
            PlanSteps.Step first = correlate(providerId, a.reference()).stream().findFirst().orElse(null);
            if (first != null) {
                ledger.addEvent(first.transactionId(), "ANSWER_DUPLICATE", label(first) + ": the same " + a.type()
                        + " arrived again; kept, not applied twice.", Map.of("reference", a.reference()));
            }
            keep(providerId, channel, a, first, null, "DUPLICATE", "Received before; not applied again.",
                    fingerprint, body);
            return "DUPLICATE";
        }
        List<PlanSteps.Step> matched = correlate(providerId, a.reference());
        if (matched.isEmpty()) {
            LOG.warn("Answer {} from provider {} for unknown reference {} kept and flagged", a.type(), providerId,
                    a.reference());
            keep(providerId, channel, a, null, null, "UNKNOWN", "No step of this provider has reference "
                    + a.reference() + ".", fingerprint, body);
            return "UNKNOWN";
        }
        String flag = "APPLIED";
        Instant now = ledger.now();
        String documentId = null;
        for (PlanSteps.Step unlocked : matched) {
            PlanSteps.Step step = steps.lock(unlocked.id()).orElseThrow();
            String state = "INFO".equals(a.status()) ? null : a.status();
            String stepFlag;
            String note = null;
            Optional<PlanSteps.Attempt> earlier = a.reference().equals(step.reference()) ? Optional.empty()
                    : steps.earlierAttempt(step.id(), a.reference());
            if (earlier.isPresent()) {
                // recognised, kept on its own attempt, never applied to the re-run (which has its own request)
                steps.earlierAttemptAnswered(step.id(), a.reference(), state);
                stepFlag = "SUPERSEDED";
                note = "Answer to attempt " + earlier.get().attemptNo() + " (reference " + a.reference() + ", provider "
                        + providerId + "); the step was re-run as attempt " + step.attemptNo() + " and this answer is"
                        + " not applied to it." + (PlanSteps.ACCEPTED.equals(state) || PlanSteps.DONE.equals(state)
                        ? " The earlier attempt is confirmed: check with both providers that only one booking stands."
                        : "");
            } else if (state != null && step.isFinal()) {
                stepFlag = "CONFLICT";
                note = "The step was already " + step.state() + "; this " + a.status() + " was not applied.";
            } else {
                String rejection = a.reason() == null ? "no reason given" : a.reason();
                if (steps.advance(step, state, "REJECTED".equals(state) ? rejection : null, a.providerReference())) {
                    // a customs broker's filing moves the declaration status too (accepted with its MRN, rejected)
                    String accepted = brokers.outcome(step, state, providerId, a.details().get("mrn"), rejection);
                    if (accepted != null) {
                        steps.explain(step.id(), accepted);
                    }
                }
                stepFlag = step.dueAt() != null && now.isAfter(step.dueAt()) ? "LATE" : "APPLIED";
                if ("LATE".equals(stepFlag)) {
                    note = "Arrived after the step's due time " + step.dueAt() + "; applied.";
                }
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("service", step.service());
            details.put("provider", providerId);
            details.put("answerType", a.type());
            details.put("reference", a.reference());
            details.put("providerReference", a.providerReference());
            details.put("reason", a.reason());
            details.put("details", a.details());
            details.put("flag", stepFlag);
            ledger.addEvent(step.transactionId(), "CONFLICT".equals(stepFlag) ? "ANSWER_CONFLICT"
                    : "SUPERSEDED".equals(stepFlag) ? "ANSWER_SUPERSEDED" : "SERVICE_" + a.status(),
                    label(step) + ": " + a.type().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " ("
                    + a.status() + ")" + (a.reason() == null ? "" : " - " + a.reason())
                    + (a.details().isEmpty() ? "" : " " + a.details()) + (note == null ? "" : ". " + note), details);
            documentId = keep(providerId, channel, a, step, documentId, stepFlag, note, fingerprint, body);
            if (!"APPLIED".equals(stepFlag)) {
                flag = stepFlag;
            }
        }
        return flag;
    }

    /** Plan steps this answer belongs to: the step with the reference, or every member of a consolidated booking. */
    private List<PlanSteps.Step> correlate(String providerId, String reference) {
        if (providerId == null || reference == null) {
            return List.of();
        }
        Optional<PlanSteps.Step> step = steps.byReference(reference);
        if (step.isPresent()) {
            return providerId.equals(step.get().providerId()) ? List.of(step.get()) : List.of();
        }
        List<PlanSteps.Step> rerun = steps.byEarlierReference(reference, providerId);
        if (!rerun.isEmpty()) {
            return rerun;
        }
        List<String> consolidation = jdbc.queryForList("select id from consolidation where reference = ? and"
                + " provider_id = ?", String.class, reference, providerId);
        return consolidation.isEmpty() ? List.of() : steps.ofConsolidation(consolidation.get(0));
    }

    /**
     * Stores the answer as received (once per answer: a given documentId is reused) and its row in provider_answer;
     * returns the document id.
     */
    private String keep(String providerId, String channel, Answer a, PlanSteps.Step step, String documentId,
                        String status, String note, String fingerprint, byte[] body) {
        String doc = documentId != null ? documentId : ledger.storeDocument(step == null ? null : step.tenantId(),
                step == null ? null : step.transactionId(), "provider-answer", "in",
                body.length > 0 && body[0] == '{' ? "application/json" : "application/xml",
                a == null ? null : a.reference(), body);
        jdbc.update("insert into provider_answer (id, provider_id, tenant_id, channel, reference, answer_type,"
                        + " provider_reference, transaction_id, step_id, status, note, fingerprint, document_id, received_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Ids.timeOrdered().toString(), providerId,
                step == null ? null : step.tenantId(), channel, a == null ? null : a.reference(),
                a == null ? null : a.type(), a == null ? null : a.providerReference(),
                step == null ? null : step.transactionId(), step == null ? null : step.id(), status, note, fingerprint,
                doc, Timestamp.from(ledger.now()));
        return doc;
    }

    private static String label(PlanSteps.Step step) {
        return ServiceDispatch.cap(Service.of(step.service()).map(s -> s.label).orElse(step.service()));
    }

    /** A ProviderAnswer in XML (validated against mappings/schemas/services/provider-answer.xsd) or the same in JSON. */
    Answer parse(byte[] body) {
        int i = 0;
        while (i < body.length && Character.isWhitespace(body[i])) {
            i++;
        }
        if (i < body.length && body[i] == '{') {
            try {
                JsonNode n = json.readTree(body);
                Map<String, String> details = new LinkedHashMap<>();
                if (n.has("details") && n.get("details").isObject()) {
                    n.get("details").fields().forEachRemaining(e -> details.put(e.getKey(), e.getValue().asText()));
                }
                Answer a = new Answer(text(n, "answerId"), text(n, "reference"), text(n, "type"), text(n, "status"),
                        text(n, "providerReference"), text(n, "reason"), details);
                if (a.reference() == null || a.type() == null || a.status() == null
                        || !a.status().matches("ACKNOWLEDGED|ACCEPTED|REJECTED|DONE|INFO")) {
                    throw new IllegalArgumentException("a JSON answer needs reference, type and status (ACKNOWLEDGED,"
                            + " ACCEPTED, REJECTED, DONE or INFO)");
                }
                return a;
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("not valid JSON: " + e.getMessage());
            }
        }
        List<String> invalid = new ArrayList<>();
        Element root = answers.parse(body, SafeXml.DEFAULT_MAX_BYTES, invalid, SAXParseException::getMessage)
                .getDocumentElement();
        if (!invalid.isEmpty()) {
            throw new IllegalArgumentException("not a valid ProviderAnswer: " + invalid.get(0));
        }
        Map<String, String> details = new LinkedHashMap<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "Detail".equals(e.getLocalName())) {
                details.put(e.getAttribute("name"), e.getTextContent().strip());
            }
        }
        return new Answer(SafeXml.childText(root, "AnswerID"), SafeXml.childText(root, "Reference"),
                SafeXml.childText(root, "Type"), SafeXml.childText(root, "Status"),
                SafeXml.childText(root, "ProviderReference"), SafeXml.childText(root, "Reason"), details);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }
}
