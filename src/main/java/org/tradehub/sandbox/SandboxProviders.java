package org.tradehub.sandbox;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.tradehub.config.HubProperties;
import org.tradehub.services.ProviderRegistry;
import org.tradehub.services.ServiceConfiguration;
import org.tradehub.services.ServicesProperties;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.web.BearerToken;
import org.tradehub.xml.SafeXml;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.tradehub.ledger.Ids;

/**
 * SANDBOX providers for the embedded default (never in production): a forwarder, an insurer, a bank, a single
 * window for the FX settlement and VAT refund filings, and a customs broker that files export declarations. Each honours the hub's provider contract
 * (mappings/schemas/services/README.md): it checks the bearer token, validates the request against its schema
 * (400 with the errors otherwise), answers 202 with its own reference (idempotent per Idempotency-Key), and then
 * pushes ProviderAnswers to the hub's callback with its callback token. Tokens are random per start. On start the
 * providers are (re)registered, and the demo tenant is subscribed to every service, so its plan completes.
 */
@Component("sandboxProviders")
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class SandboxProviders implements SmartInitializingSingleton, ApplicationRunner, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxProviders.class);

    record Peer(String id, String kind, String legalName, String licence, List<String> services, boolean quotes) {}

    static final List<Peer> PEERS = List.of(
            new Peer("sandbox-forwarder", "forwarder", "Sandbox Forwarding Ltd", "SANDBOX-FWD-001",
                    List.of("freight-booking"), true),
            new Peer("sandbox-insurer", "insurer", "Sandbox Cargo Insurance plc", "SANDBOX-INS-001",
                    List.of("insurance"), false),
            new Peer("sandbox-bank", "bank", "Sandbox Trade Bank plc", "SANDBOX-BNK-001", List.of("financing"), false),
            new Peer("sandbox-single-window", "single-window", "Sandbox National Single Window", "SANDBOX-NSW-001",
                    List.of("fx-settlement-filing", "vat-refund-filing"), false),
            new Peer("sandbox-customs-broker", "customs-broker", "Sandbox Customs Brokers Ltd", "SANDBOX-CB-001",
                    List.of("export-declaration"), false));

    private static final Map<String, String> SCHEMA_OF_ROOT = Map.of(
            "BookingRequest", "booking-request", "InsuranceRequest", "insurance-request",
            "FinancingRequest", "financing-request", "FxSettlementFiling", "fx-settlement-filing",
            "VatRefundFiling", "vat-refund-filing", "DeclarationInstruction", "declaration-instruction");

    private final HubProperties hub;
    private final ServicesProperties services;
    private final ProviderRegistry registry;
    private final ServiceConfiguration configuration;
    private final TenantDirectory tenants;
    private final SandboxTenant sandboxTenant;
    private final ObjectMapper json;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final Map<String, String> outboundTokens = new ConcurrentHashMap<>();
    private final Map<String, String> callbackTokens = new ConcurrentHashMap<>();
    /** provider + our reference -> the sandbox's reference (a resend gets the same one and no new answers) */
    private final Map<String, String> taken = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-providers");
        t.setDaemon(true);
        return t;
    });

    public SandboxProviders(HubProperties hub, ServicesProperties services, ProviderRegistry registry,
                            ServiceConfiguration configuration, TenantDirectory tenants, SandboxTenant sandboxTenant,
                            ObjectMapper json) {
        this.hub = hub;
        this.services = services;
        this.registry = registry;
        this.configuration = configuration;
        this.tenants = tenants;
        this.sandboxTenant = sandboxTenant;
        this.json = json;
    }

    /**
     * Registers the peers (this start's URL and tokens) before Camel starts its routes: a consolidation whose window
     * passed while the hub was down is booked by the first sweep, and must not go to the previous start's address.
     */
    @Override
    public void afterSingletonsInstantiated() {
        for (Peer p : PEERS) {
            String outbound = TenantDirectory.randomToken();
            String callback = TenantDirectory.randomToken();
            outboundTokens.put(p.id, outbound);
            callbackTokens.put(p.id, callback);
            String base = hub.publicUrl() + "/sandbox/providers/" + p.id;
            List<ProviderRegistry.Offer> offers = p.services.stream().map(s -> new ProviderRegistry.Offer(p.id, s, null,
                    null, new BigDecimal("15.00"), "GBP", p.quotes ? base + "/quote" : null)).toList();
            registry.register(new ProviderRegistry.Registration(p.id, p.kind, p.legalName, null, p.licence, null,
                    "http", base + "/requests", null, "xml", outbound, callback, 3600, true, true, offers), 3600);
        }
        LOG.info("Sandbox providers registered: {}", PEERS.stream().map(Peer::id).toList());
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        sandboxTenant.run(args); // the demo tenant (nothing happens when it exists), then its subscriptions
        if (tenants.exists(SandboxTenant.ID) && !configuration.hasSubscriptions(SandboxTenant.ID)) {
            configuration.replace(SandboxTenant.ID, json.readTree(DEMO_SERVICES));
        }
    }

    /** The demo tenant's services: every service, the sandbox providers, EU lanes consolidated. */
    static final String DEMO_SERVICES = """
            {"subscriptions": [
              {"service": "freight-booking", "policy": "CHEAPEST", "quoteDeadlineMs": 1500},
              {"service": "insurance", "policy": "FIXED", "fixedProvider": "sandbox-insurer",
               "rules": [{"minValue": "100", "valueCurrency": "GBP", "description": "goods worth 100 GBP or more"}]},
              {"service": "financing", "policy": "BEST_QUALITY",
               "rules": [{"minValue": "250", "valueCurrency": "GBP", "description": "invoices of 250 GBP or more"}]},
              {"service": "fx-settlement-filing", "policy": "FIXED", "fixedProvider": "sandbox-single-window"},
              {"service": "vat-refund-filing", "policy": "FIXED", "fixedProvider": "sandbox-single-window"}],
             "consolidation": [{"maxOrders": 5, "maxGrossKg": "30", "maxValueGbp": "1000", "windowMs": 600000}]}
            """;

    /** POST /sandbox/providers/{provider}/quote: 8 GBP + 2.50 GBP per kg. */
    public void quote(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String id = in.getHeader("provider", String.class);
        if (!authorised(in, id)) {
            reply(in, 401, "application/json", "{\"error\":\"unauthorized\"}");
            return;
        }
        JsonNode ask = json.readTree(in.getBody(byte[].class));
        BigDecimal kg = new BigDecimal(ask.path("grossKg").asText("1"));
        BigDecimal price = new BigDecimal("8.00").add(new BigDecimal("2.50").multiply(kg)).setScale(2, RoundingMode.HALF_UP);
        reply(in, 200, "application/json", "{\"price\":\"" + price.toPlainString() + "\",\"currency\":\"GBP\"}");
    }

    /** POST /sandbox/providers/{provider}/requests: validated, taken (202), answered later by callback. */
    public void request(Exchange exchange) {
        Message in = exchange.getMessage();
        String id = in.getHeader("provider", String.class);
        if (!authorised(in, id)) {
            reply(in, 401, "application/xml", "<errors><message>Bearer token missing or wrong.</message></errors>");
            return;
        }
        byte[] body = in.getBody(byte[].class);
        Element root;
        try {
            root = SafeXml.parse(body, SafeXml.DEFAULT_MAX_BYTES).getDocumentElement();
        } catch (RuntimeException e) {
            reply(in, 400, "application/xml", errors(List.of("Not well-formed XML: " + e.getMessage())));
            return;
        }
        String schemaName = SCHEMA_OF_ROOT.get(root.getLocalName());
        if (schemaName == null || !"urn:tradehub:services:1".equals(root.getNamespaceURI())) {
            reply(in, 400, "application/xml", errors(List.of("Unknown document " + root.getLocalName() + ".")));
            return;
        }
        try {
            SafeXml.validator(schemas.computeIfAbsent(schemaName, n -> SafeXml.compileSchema(List.of(
                    hub.mappingsDir().resolve("schemas/services/" + n + ".xsd")))))
                    .validate(new StreamSource(new ByteArrayInputStream(body)));
        } catch (Exception invalid) {
            reply(in, 400, "application/xml", errors(List.of("Not valid against " + schemaName + ".xsd: "
                    + invalid.getMessage())));
            return;
        }
        String reference = text(root, "Reference");
        String[] created = new String[1];
        String ours = taken.computeIfAbsent(id + "|" + reference, k -> {
            created[0] = "SBX-" + Ids.random().toString().substring(0, 8).toUpperCase();
            return created[0];
        });
        if (created[0] != null) {
            scheduleAnswers(id, reference, ours, root);
        }
        in.removeHeaders("*");
        in.setHeader("X-Provider-Reference", ours);
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        in.setBody("");
    }

    private void scheduleAnswers(String provider, String reference, String ours, Element request) {
        List<String[]> answers = new ArrayList<>(); // status, type, reason, detail name, detail value
        switch (request.getLocalName()) {
            case "BookingRequest" -> {
                answers.add(new String[] {"ACKNOWLEDGED", "BOOKING_ACKNOWLEDGEMENT", null, null, null});
                answers.add(new String[] {"ACCEPTED", "BOOKING_CONFIRMATION", null, "trackingNumber", "SBXTRK" + ours.substring(4)});
                answers.add(new String[] {"DONE", "TRACKING_EVENT", null, "event", "picked up by the carrier"});
            }
            case "InsuranceRequest" -> {
                answers.add(new String[] {"ACKNOWLEDGED", "INSURANCE_ACKNOWLEDGEMENT", null, null, null});
                if (hsChapters(request).contains("93")) {
                    answers.add(new String[] {"REJECTED", "INSURANCE_DECLINED",
                            "Arms and ammunition (HS chapter 93) are excluded from the sandbox open cover.", null, null});
                } else {
                    answers.add(new String[] {"DONE", "INSURANCE_CERTIFICATE", null, "certificateNumber", "CERT-" + ours.substring(4)});
                }
            }
            case "FinancingRequest" -> {
                answers.add(new String[] {"ACKNOWLEDGED", "FINANCING_APPLICATION_RECEIVED", null, null, null});
                answers.add(new String[] {"DONE", "FINANCING_DECISION", null, "decision", "approved: 80% advance"});
            }
            case "DeclarationInstruction" -> {
                // the broker files the DMS declaration it was given; it holds no licence for arms (HS chapter 93)
                answers.add(new String[] {"ACKNOWLEDGED", "DECLARATION_INSTRUCTION_RECEIVED", null, null, null});
                if (hsChapters(request).contains("93")) {
                    answers.add(new String[] {"REJECTED", "DECLARATION_REJECTED", "Arms and ammunition (HS chapter 93)"
                            + " need an export licence the sandbox broker cannot declare.", null, null});
                } else {
                    answers.add(new String[] {"ACCEPTED", "DECLARATION_ACCEPTED", null, "mrn",
                            "26GB" + ours.substring(4) + "SBXBRK"});
                }
            }
            default -> {
                answers.add(new String[] {"ACKNOWLEDGED", "FILING_RECEIVED", null, null, null});
                answers.add(new String[] {"ACCEPTED", "FILING_REGISTERED", null, "registrationNumber", "NSW" + ours.substring(4)});
            }
        }
        long delay = services.sandboxAnswerDelayMs();
        for (int i = 0; i < answers.size(); i++) {
            String[] a = answers.get(i);
            String xml = "<ProviderAnswer xmlns=\"urn:tradehub:services:1\" version=\"1.0\"><AnswerID>" + ours + "-" + i
                    + "</AnswerID><Reference>" + reference + "</Reference><Type>" + a[1] + "</Type><Status>" + a[0]
                    + "</Status><ProviderReference>" + ours + "</ProviderReference>"
                    + (a[2] == null ? "" : "<Reason>" + a[2] + "</Reason>")
                    + "<IssueDateTime>" + Instant.now() + "</IssueDateTime>"
                    + (a[3] == null ? "" : "<Detail name=\"" + a[3] + "\">" + a[4] + "</Detail>") + "</ProviderAnswer>";
            push(provider, xml, delay * (i + 1), 1);
        }
    }

    private void push(String provider, String xml, long delayMs, int attempt) {
        scheduler.schedule(() -> {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.publicUrl()
                                + "/callbacks/providers/" + provider))
                        .header("Content-Type", "application/xml")
                        .header("Authorization", "Bearer " + callbackTokens.get(provider))
                        .POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() >= 500 && attempt < 4) {
                    push(provider, xml, delayMs * 2, attempt + 1);
                }
            } catch (Exception e) {
                if (attempt < 4) {
                    push(provider, xml, delayMs * 2, attempt + 1);
                } else {
                    LOG.warn("Sandbox provider {} could not deliver an answer: {}", provider, e.toString());
                }
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private boolean authorised(Message in, String provider) {
        String token = outboundTokens.get(provider);
        return token != null && BearerToken.matches(in.getHeader("Authorization", String.class),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> hsChapters(Element request) {
        List<String> chapters = new ArrayList<>();
        var codes = request.getElementsByTagNameNS("*", "HSCode"); // services documents and the canonical inside
        for (int i = 0; i < codes.getLength(); i++) {
            chapters.add(codes.item(i).getTextContent().strip().substring(0, 2));
        }
        return chapters;
    }

    private static String text(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }

    private static String errors(List<String> messages) {
        StringBuilder xml = new StringBuilder("<errors>");
        messages.forEach(m -> xml.append("<message>").append(m.replace("&", "&amp;").replace("<", "&lt;"))
                .append("</message>"));
        return xml.append("</errors>").toString();
    }

    private static void reply(Message in, int status, String type, String body) {
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        in.setHeader(Exchange.CONTENT_TYPE, type);
        in.setBody(body);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
