package org.tradehub.services;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.web.ApiSupport;
import org.tradehub.web.HubProblemException;

/**
 * The operator's API for providers and each tenant's services (Authorization: Bearer HUB_ADMIN_TOKEN). Changes
 * are rows in the database and apply to the next message, without a restart.
 */
@Component("servicesAdminApi")
public class ServicesAdminApi {

    private final ProviderRegistry registry;
    private final ServiceConfiguration configuration;
    private final TenantDirectory tenants;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final ServicesProperties config;
    private final ApiSupport api;

    public ServicesAdminApi(ProviderRegistry registry, ServiceConfiguration configuration, TenantDirectory tenants,
                            JdbcTemplate jdbc, ObjectMapper json, ServicesProperties config, ApiSupport api) {
        this.registry = registry;
        this.configuration = configuration;
        this.tenants = tenants;
        this.jdbc = jdbc;
        this.json = json;
        this.config = config;
        this.api = api;
    }

    /** PUT /admin/providers/{provider}: creates or replaces the provider (see README: Services). */
    public void putProvider(Exchange exchange) throws Exception {
        Message in = admin(exchange);
        String id = in.getHeader("provider", String.class);
        JsonNode b = body(in);
        List<ProviderRegistry.Offer> offers = new ArrayList<>();
        for (JsonNode o : b.path("offers")) {
            String price = ServiceConfiguration.text(o, "listPrice");
            try {
                offers.add(new ProviderRegistry.Offer(id, ServiceConfiguration.text(o, "service"),
                        ServiceConfiguration.text(o, "destination"), ServiceConfiguration.text(o, "serviceLevel"),
                        price == null ? null : new BigDecimal(price), ServiceConfiguration.text(o, "currency"),
                        ServiceConfiguration.text(o, "quoteUrl")));
            } catch (NumberFormatException e) {
                throw HubProblemException.badRequest("'listPrice' must be a decimal number.");
            }
        }
        registry.register(registration(id, b, offers), config.defaultAnswerWithinSeconds());
        reply(in, view(registry.find(id).orElseThrow()));
    }

    static ProviderRegistry.Registration registration(String id, JsonNode b, List<ProviderRegistry.Offer> offers) {
        return new ProviderRegistry.Registration(id, ServiceConfiguration.text(b, "kind"),
                ServiceConfiguration.text(b, "legalName"), ServiceConfiguration.text(b, "lei"),
                ServiceConfiguration.text(b, "licenceNumber"), ServiceConfiguration.text(b, "certificatePem"),
                ServiceConfiguration.text(b, "channel"), ServiceConfiguration.text(b, "endpointUrl"),
                ServiceConfiguration.text(b, "partnerId"), ServiceConfiguration.text(b, "format"),
                ServiceConfiguration.text(b, "outboundToken"), ServiceConfiguration.text(b, "callbackToken"),
                b.hasNonNull("answerWithinSeconds") ? b.get("answerWithinSeconds").asInt() : null,
                !b.has("active") || b.get("active").asBoolean(), false, offers);
    }

    public void getProvider(Exchange exchange) throws Exception {
        Message in = admin(exchange);
        String id = in.getHeader("provider", String.class);
        reply(in, view(registry.find(id).orElseThrow(() -> HubProblemException.notFound("No provider " + id + "."))));
    }

    public void listProviders(Exchange exchange) throws Exception {
        Message in = admin(exchange);
        reply(in, Map.of("items", registry.all().stream().map(this::view).toList()));
    }

    public void deleteProvider(Exchange exchange) throws Exception {
        Message in = admin(exchange);
        String id = in.getHeader("provider", String.class);
        registry.deactivate(id);
        reply(in, Map.of("id", id, "status", "deactivated"));
    }

    /** PUT /admin/tenants/{tenant}/services: the tenant's subscriptions, rules, policies and consolidation lanes. */
    public void putTenantServices(Exchange exchange) throws Exception {
        Message in = admin(exchange);
        String tenant = in.getHeader("tenant", String.class);
        if (!tenants.exists(tenant)) {
            throw HubProblemException.notFound("No tenant " + tenant + ".");
        }
        configuration.replace(tenant, body(in));
        reply(in, Map.of("tenant", tenant, "status", "services saved"));
    }

    /** GET /admin/answers?status=UNKNOWN|LATE|DUPLICATE|CONFLICT|UNREADABLE: answers kept and flagged. */
    public void flaggedAnswers(Exchange exchange) throws Exception {
        Message in = admin(exchange);
        String status = in.getHeader("status", String.class);
        List<Map<String, Object>> rows = jdbc.queryForList("select id, provider_id, tenant_id, channel, reference,"
                + " answer_type, transaction_id, status, note, document_id, received_at from provider_answer"
                + " where status <> 'APPLIED' and (cast(? as varchar) is null or status = ?) order by received_at desc limit 500",
                status, status);
        List<Map<String, Object>> items = rows.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            r.forEach((k, v) -> m.put(k, v == null ? null : v.toString()));
            return m;
        }).toList();
        reply(in, Map.of("items", items, "count", items.size()));
    }

    private Map<String, Object> view(ProviderRegistry.Provider p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("kind", p.kind());
        m.put("legalName", p.legalName());
        m.put("lei", p.lei());
        m.put("licenceNumber", p.licenceNumber());
        m.put("certificateSubject", p.certificateSubject());
        m.put("certificateSha256", p.certificateSha256());
        m.put("certificateNotAfter", p.certificateNotAfter() == null ? null : p.certificateNotAfter().toString());
        m.put("channel", p.channel());
        m.put("endpointUrl", p.endpointUrl());
        m.put("partnerId", p.partnerId());
        m.put("format", p.format());
        m.put("answerWithinSeconds", p.answerWithinSeconds());
        m.put("active", p.active());
        m.put("sandbox", p.sandbox());
        m.put("offers", registry.offers(p.id()).stream().map(o -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("service", o.service());
            x.put("destination", o.destinationCountry());
            x.put("serviceLevel", o.serviceLevel());
            x.put("listPrice", o.listPrice() == null ? null : o.listPrice().stripTrailingZeros().toPlainString());
            x.put("currency", o.priceCurrency());
            x.put("quoteUrl", o.quoteUrl());
            return x;
        }).toList());
        ProviderRegistry.Quality q = registry.quality(p.id());
        Map<String, Object> quality = new LinkedHashMap<>();
        quality.put("sent", q.sent());
        quality.put("answered", q.answered());
        quality.put("averageAnswerMs", q.averageAnswerMs());
        quality.put("rejectionRate", q.rejectionRate());
        quality.put("overdueRate", q.overdueRate());
        m.put("measuredQuality", quality);
        return m;
    }

    private Message admin(Exchange exchange) {
        Message in = exchange.getMessage();
        api.requireAdmin(in);
        return in;
    }

    private JsonNode body(Message in) {
        return api.body(in, false);
    }

    private void reply(Message in, Object body) {
        api.reply(in, null, body);
    }
}
