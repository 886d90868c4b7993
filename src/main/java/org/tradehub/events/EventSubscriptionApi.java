package org.tradehub.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.tradehub.ledger.EventTypes;
import org.tradehub.tenant.Tenant;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.web.ApiSupport;
import org.tradehub.web.HubProblemException;

/** The tenant's event endpoint: /api/event-subscription (routes/api-event-subscription.yaml). */
@Component
public class EventSubscriptionApi {

    private static final int MAX_URL = 2000;

    private final TenantDirectory tenants;
    private final EventSubscriptions subscriptions;
    private final EndpointGuard guard;
    private final TenantEvents events;
    private final ApiSupport api;

    public EventSubscriptionApi(TenantDirectory tenants, EventSubscriptions subscriptions, EndpointGuard guard,
                                TenantEvents events, ApiSupport api) {
        this.tenants = tenants;
        this.subscriptions = subscriptions;
        this.guard = guard;
        this.events = events;
        this.api = api;
    }

    /**
     * PUT {"url", "eventTypes"}: 201 with the signing secret (shown this once) for a new subscription; 200 for a
     * changed one, which also enables a disabled endpoint again (its waiting events are sent at once). eventTypes
     * left out: every type (a PUT sets the whole subscription).
     */
    public void put(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        JsonNode request = api.body(in, false);
        String url = ApiSupport.text(request, "url", true);
        if (url.length() > MAX_URL) {
            throw HubProblemException.badRequest("url is longer than " + MAX_URL + " characters.");
        }
        List<String> eventTypes = EventTypeFilter.parse(request.get("eventTypes"));
        guard.check(url);
        String secret = subscriptions.save(tenant.id(), url, eventTypes);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url);
        body.put("eventTypes", eventTypes);
        if (secret != null) {
            body.put("secret", secret);
        }
        api.reply(in, secret != null ? 201 : 200, body);
    }

    /** GET: the endpoint and how delivering to it goes; the secret is never shown again. */
    public void get(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        api.reply(in, null, state(subscriptions.find(tenant.id()).orElseThrow(EventSubscriptionApi::none)));
    }

    private static Map<String, Object> state(EventSubscriptions.Subscription s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", s.url());
        body.put("eventTypes", s.eventTypes());
        body.put("state", s.disabledAt() != null ? "DISABLED" : s.failures() > 0 ? "FAILING" : "ACTIVE");
        body.put("pendingEvents", s.pending());
        body.put("failures", s.failures());
        body.put("failingSince", text(s.failingSince()));
        body.put("nextAttemptAt", s.failures() > 0 ? text(s.nextAttemptAt()) : null);
        body.put("lastError", s.lastError());
        body.put("disabledAt", text(s.disabledAt()));
        body.put("createdAt", text(s.createdAt()));
        body.put("updatedAt", text(s.updatedAt()));
        return body;
    }

    /** GET /admin/event-subscriptions: every tenant's endpoint that is failing or disabled, longest failing first. */
    public void troubled(Exchange exchange) {
        Message in = exchange.getMessage();
        api.requireAdmin(in);
        api.reply(in, null, Map.of("items", subscriptions.troubled().stream().map(s -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("tenant", s.tenantId());
            item.putAll(state(s));
            return item;
        }).toList()));
    }

    /** POST /secret: a new signing secret, shown this once; the old one signs beside it for a day. */
    public void rotateSecret(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        String secret = subscriptions.rotateSecret(tenant.id()).orElseThrow(EventSubscriptionApi::none);
        api.reply(in, null, Map.of("secret", secret, "previousSecretSignsFor",
                EventSubscriptions.ROTATION_OVERLAP.toString()));
    }

    /**
     * POST /ping: a signed test event to the endpoint now; 200 with what became of it ({"delivered", "status",
     * "error", "tookMs"}), delivered or not: the call worked, the endpoint's answer is the result.
     */
    public void ping(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        TenantEvents.Ping ping = events.ping(tenant.id()).orElseThrow(EventSubscriptionApi::none);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("delivered", ping.delivered());
        body.put("status", ping.status());
        body.put("error", ping.error());
        body.put("tookMs", ping.tookMs());
        api.reply(in, null, body);
    }

    /** GET /api/event-types: every event type the hub records, with its group and meaning, for a filter. */
    public void types(Exchange exchange) {
        Message in = exchange.getMessage();
        tenants.authenticate(in.getHeader("Authorization", String.class));
        api.reply(in, null, Map.of("items", EventTypes.all()));
    }

    /** DELETE: no more events; those still waiting are dropped. */
    public void delete(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        if (!subscriptions.delete(tenant.id())) {
            throw none();
        }
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        in.setBody(null);
    }

    private static HubProblemException none() {
        return HubProblemException.notFound("No event endpoint: PUT /api/event-subscription {\"url\": \"https://...\"}.");
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
