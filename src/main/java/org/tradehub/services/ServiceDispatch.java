package org.tradehub.services;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.declaration.Declarations;
import org.tradehub.declaration.ExchangeRates;
import org.tradehub.intake.HubHeaders;
import org.tradehub.ledger.Ledger;

/**
 * The steps of the service flows (routes/out-*.yaml) that a route cannot say: loading a plan step and choosing its
 * provider once, building the template's input, keeping the document sent, the wire headers, and recording what
 * the provider (or the channel) did with it. Working state travels in exchange properties, so stripping headers
 * before a send never loses it.
 */
@Component("serviceDispatch")
public class ServiceDispatch {

    public static final String STEP = "hubStepId";
    public static final String CONSOLIDATION = "hubConsolidationId";
    public static final String PROVIDER = "hubProviderId";
    public static final String SERVICE = "hubService";
    public static final String REFERENCE = "hubReference";
    public static final String TENANT = "hubTenantId";
    public static final String TRANSACTION = "hubTransactionId";
    public static final String FACTS = "hubFacts";
    public static final String SKIP = "hubStepSkip";
    public static final String CHANNEL = "hubProviderChannel";
    /** xml or json: the form the provider takes its requests in (out-provider-dispatch converts to JSON). */
    public static final String FORMAT = "hubProviderFormat";

    private final Ledger ledger;
    private final PlanSteps steps;
    private final ProviderRegistry registry;
    private final ProviderSelection selection;
    private final TransactionTemplate tx;
    private final ExchangeRates rates;
    private final Consolidations consolidations;
    private final CustomsBrokers brokers;

    public ServiceDispatch(Ledger ledger, PlanSteps steps, ProviderRegistry registry,
                           ProviderSelection selection, TransactionTemplate tx, ExchangeRates rates,
                           Consolidations consolidations, CustomsBrokers brokers) {
        this.brokers = brokers;
        this.ledger = ledger;
        this.steps = steps;
        this.registry = registry;
        this.selection = selection;
        this.tx = tx;
        this.rates = rates;
        this.consolidations = consolidations;
    }

    /**
     * Loads the step named by the message; skips it when it was already sent or is final. Chooses its provider
     * on the first attempt only (a retry goes to the same provider with the same reference). The body becomes the
     * template's ServiceInput.
     */
    public void prepare(Exchange exchange) {
        Message in = exchange.getMessage();
        String stepId = in.getHeader(STEP, String.class);
        PlanSteps.Step step = steps.byId(stepId).orElseThrow(() -> new IllegalStateException("no plan step " + stepId));
        exchange.setProperty(STEP, step.id());
        exchange.setProperty(SERVICE, step.service());
        exchange.setProperty(REFERENCE, step.reference());
        exchange.setProperty(TENANT, step.tenantId());
        exchange.setProperty(TRANSACTION, step.transactionId());
        if (PlanSteps.FAILED.equals(step.state()) && step.consolidationId() == null) {
            step = resume(step);
        }
        if (!PlanSteps.PENDING.equals(step.state()) || step.consolidationId() != null) {
            exchange.setProperty(SKIP, true);
            return;
        }
        Ledger.TransactionRecord t = ledger.find(step.transactionId()).orElseThrow();
        byte[] canonical = ledger.documentContent(t.canonicalDocumentId()).orElseThrow();
        TransactionFacts facts = TransactionFacts.of(canonical, rates);
        exchange.setProperty(FACTS, facts);
        Service service = Service.of(step.service()).orElseThrow();
        String providerId = step.providerId();
        if (providerId == null) {
            Optional<ProviderSelection.Choice> choice = choose(step, service, facts);
            if (choice.isEmpty()) {
                exchange.setProperty(SKIP, true);
                return;
            }
            providerId = choice.get().provider().id();
            step = steps.byId(step.id()).orElseThrow(); // a re-run may have a new reference now
            exchange.setProperty(REFERENCE, step.reference());
        }
        ProviderRegistry.Provider provider = registry.find(providerId).orElseThrow();
        useProvider(exchange, provider);
        in.setBody(envelope(step.reference(), service, provider, consolidations.iossNumber(step.tenantId()), false,
                List.of(new Member(step.transactionId(), null, canonical))));
    }

    /**
     * A FAILED step's parked message was replayed: the same attempt goes out again (same provider, same reference,
     * so a provider that did take the first one recognises it).
     */
    private PlanSteps.Step resume(PlanSteps.Step failed) {
        tx.executeWithoutResult(s -> {
            if (steps.resume(failed.id())) {
                ledger.addEvent(failed.transactionId(), "SERVICE_RESUMED", cap(ParkedServices.label(failed))
                        + ": the parked request is sent again" + (failed.providerId() == null ? ""
                        : " to provider " + failed.providerId()) + " with the same reference " + failed.reference()
                        + ".", Map.of("service", failed.service(), "reference", failed.reference()));
            }
        });
        return steps.byId(failed.id()).orElseThrow();
    }

    private Optional<ProviderSelection.Choice> choose(PlanSteps.Step step, Service service, TransactionFacts facts) {
        try {
            ProviderSelection.Choice c = selection.choose(step.tenantId(), service, step.reference(), facts);
            tx.executeWithoutResult(s -> {
                steps.chooseProvider(step.id(), c.provider().id(), c.reason());
                steps.newAttemptReference(step, c.provider().id());
                Map<String, Object> details = new LinkedHashMap<>(c.details());
                details.put("service", service.id);
                details.put("provider", c.provider().id());
                ledger.addEvent(step.transactionId(), "PROVIDER_CHOSEN", cap(service.label) + ": "
                        + c.provider().legalName() + " (" + c.provider().id() + "). " + c.reason(), details);
            });
            return Optional.of(c);
        } catch (ProviderSelection.NoProviderException none) {
            tx.executeWithoutResult(s -> {
                steps.lock(step.id()).ifPresent(locked -> steps.advance(locked, PlanSteps.REJECTED, none.getMessage(), null));
                ledger.addEvent(step.transactionId(), "SERVICE_REJECTED", cap(service.label) + ": " + none.getMessage()
                        + " Register a provider for this lane (admin API) and replay.", Map.of("service", service.id));
            });
            return Optional.empty();
        }
    }

    static void useProvider(Exchange exchange, ProviderRegistry.Provider provider) {
        exchange.setProperty(PROVIDER, provider.id());
        exchange.setProperty(CHANNEL, provider.channel());
        exchange.setProperty(FORMAT, provider.format() == null ? "xml" : provider.format());
    }

    private static boolean json(Exchange exchange) {
        return "json".equals(exchange.getProperty(FORMAT, String.class));
    }

    /** One order inside a ServiceInput: its transaction id, low-value regime (or null) and canonical document. */
    public record Member(String transactionId, String lowValueRegime, byte[] canonical) {}

    /** The template input: ServiceInput (urn:tradehub:service-input:1), see mappings/outbound/service-common.xsl. */
    static String envelope(String reference, Service service, ProviderRegistry.Provider provider, String ioss,
                           boolean consolidated, List<Member> members) {
        StringBuilder xml = new StringBuilder("<ServiceInput xmlns=\"urn:tradehub:service-input:1\"");
        attr(xml, "reference", reference);
        attr(xml, "service", service.id);
        attr(xml, "provider", provider.id());
        attr(xml, "issuedAt", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        attr(xml, "iossNumber", ioss);
        attr(xml, "consolidated", consolidated ? "true" : null);
        xml.append('>');
        for (Member m : members) {
            xml.append("<Member");
            attr(xml, "transactionId", m.transactionId());
            attr(xml, "lowValueRegime", m.lowValueRegime());
            xml.append('>');
            String doc = new String(m.canonical(), StandardCharsets.UTF_8);
            xml.append(doc.startsWith("<?xml") ? doc.substring(doc.indexOf("?>") + 2) : doc);
            xml.append("</Member>");
        }
        return xml.append("</ServiceInput>").toString();
    }

    private static void attr(StringBuilder xml, String name, String value) {
        if (value != null) {
            xml.append(' ').append(name).append("=\"").append(value.replace("&", "&amp;").replace("\"", "&quot;")
                    .replace("<", "&lt;")).append('"');
        }
    }

    /** Keeps the document exactly as it will be sent, with its hash, and counts the attempt. */
    public void store(Exchange exchange) {
        Message in = exchange.getMessage();
        String service = exchange.getProperty(SERVICE, String.class);
        String documentId = ledger.storeDocument(exchange.getProperty(TENANT, String.class),
                exchange.getProperty(TRANSACTION, String.class), Service.of(service).map(s -> s.document).orElse(service),
                "out", json(exchange) ? "application/json" : "application/xml", exchange.getProperty(REFERENCE, String.class), in.getBody(byte[].class));
        exchange.setProperty("hubDocumentId", documentId);
        String stepId = exchange.getProperty(STEP, String.class);
        if (stepId != null) {
            steps.countAttempt(stepId);
        }
    }

    /** An HTTP provider gets the document with its token and our reference as idempotency key; nothing else of ours. */
    public void httpHeaders(Exchange exchange) {
        Message in = exchange.getMessage();
        ProviderRegistry.Provider p = registry.find(exchange.getProperty(PROVIDER, String.class)).orElseThrow();
        HubHeaders.keepOnly(in, "hubTransactionId");
        in.setHeader(Exchange.HTTP_URI, p.endpointUrl());
        // the enum, not "POST": the http component reads this header as HttpMethods, and a String made Camel search its
        // whole converter registry on every request (a tenth of the declaration stage's CPU in the benchmark)
        in.setHeader(Exchange.HTTP_METHOD, HttpMethods.POST);
        in.setHeader(Exchange.CONTENT_TYPE, (json(exchange) ? "application/json" : "application/xml") + "; charset=UTF-8");
        in.setHeader("Idempotency-Key", exchange.getProperty(REFERENCE, String.class));
        in.setHeader("X-Hub-Document-Type", documentType(exchange));
        if (p.outboundToken() != null) {
            in.setHeader("Authorization", "Bearer " + p.outboundToken());
        }
    }

    /** The outbound channel queue contract (BRIEF: hub.outbound.<channel>). */
    public void channelHeaders(Exchange exchange) {
        Message in = exchange.getMessage();
        ProviderRegistry.Provider p = registry.find(exchange.getProperty(PROVIDER, String.class)).orElseThrow();
        String reference = exchange.getProperty(REFERENCE, String.class);
        in.removeHeaders("*");
        in.setHeader("hubTenantId", exchange.getProperty(TENANT, String.class));
        in.setHeader("hubPartnerId", p.partnerId());
        in.setHeader("hubDocumentType", documentType(exchange));
        in.setHeader("hubDocumentId", exchange.getProperty("hubDocumentId", String.class));
        String transactionId = exchange.getProperty(TRANSACTION, String.class);
        if (transactionId != null) {
            in.setHeader("hubTransactionId", transactionId);
        }
        in.setHeader("hubFileName", reference + (json(exchange) ? ".json" : ".xml"));
        in.setHeader("hubContentType", json(exchange) ? "application/json" : "application/xml");
        in.setHeader("_AMQ_DUPL_ID", "services-" + reference + "-" + exchange.getProperty("hubDocumentId"));
    }

    private static String documentType(Exchange exchange) {
        String service = exchange.getProperty(SERVICE, String.class);
        return Service.of(service).map(s -> s.documentType).orElse("BOOKING");
    }

    /** The provider took the request (2xx), or the channel queue has it: answers are due from now on. */
    public void sent(Exchange exchange) {
        Message in = exchange.getMessage();
        ProviderRegistry.Provider p = registry.find(exchange.getProperty(PROVIDER, String.class)).orElseThrow();
        String providerReference = in.getHeader("X-Provider-Reference", String.class);
        String documentId = exchange.getProperty("hubDocumentId", String.class);
        String consolidationId = exchange.getProperty(CONSOLIDATION, String.class);
        String how = "http".equals(p.channel()) ? "over HTTPS" : "over the " + p.channel() + " channel";
        tx.executeWithoutResult(s -> {
            List<PlanSteps.Step> sentSteps = consolidationId != null
                    ? consolidations.sent(consolidationId, providerReference, documentId)
                    : List.of(steps.byId(exchange.getProperty(STEP, String.class)).orElseThrow());
            for (PlanSteps.Step step : sentSteps) {
                steps.sent(step.id(), documentId, providerReference, p.answerWithinSeconds());
                brokers.outcome(step, PlanSteps.SENT, p.id(), null, null);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("service", step.service());
                details.put("provider", p.id());
                details.put("reference", consolidationId != null ? exchange.getProperty(REFERENCE) : step.reference());
                details.put("providerReference", providerReference);
                details.put("documentId", documentId);
                ledger.addEvent(step.transactionId(), "SERVICE_SENT", cap(Service.of(step.service()).orElseThrow().label)
                        + (consolidationId != null ? " (consolidated booking " + exchange.getProperty(REFERENCE) + ")" : "")
                        + " sent to " + p.legalName() + " " + how + "; an answer is due within "
                        + p.answerWithinSeconds() + " s.", details);
            }
        });
    }

    /** 4xx: the provider refused the request itself; resending the same document cannot help. */
    public void refused(Exchange exchange) {
        Message in = exchange.getMessage();
        int code = in.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        List<String> errors = Declarations.errorMessages(in.getBody(byte[].class));
        String reason = "The provider refused the request (HTTP " + code + "): "
                + (errors.isEmpty() ? "no reason given." : String.join(" ", errors));
        String consolidationId = exchange.getProperty(CONSOLIDATION, String.class);
        tx.executeWithoutResult(s -> {
            List<PlanSteps.Step> refused = consolidationId != null ? consolidations.refused(consolidationId, reason)
                    : List.of(steps.byId(exchange.getProperty(STEP, String.class)).orElseThrow());
            for (PlanSteps.Step step : refused) {
                steps.lock(step.id()).ifPresent(locked -> steps.advance(locked, PlanSteps.REJECTED, reason, null));
                ledger.addEvent(step.transactionId(), "SERVICE_REJECTED", cap(Service.of(step.service()).orElseThrow().label)
                        + ": " + reason, Map.of("service", step.service(), "httpStatus", code));
                brokers.outcome(step, PlanSteps.REJECTED, exchange.getProperty(PROVIDER, String.class), null, reason);
            }
        });
    }

    static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
