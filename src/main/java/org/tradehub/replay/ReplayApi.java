package org.tradehub.replay;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.tradehub.tenant.Tenant;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.web.ApiSupport;
import org.tradehub.web.HubProblemException;

/**
 * The replay API. The operator (admin token) sees and acts on every parked message; a tenant (its API key) only on
 * its own, and another tenant's is 404, exactly like one that does not exist.
 */
@Component("replayApi")
public class ReplayApi {

    private static final java.util.List<String> STATUSES = java.util.List.of("PARKED", "REPLAYING", "REPLAYED", "DISCARDED");

    private final TenantDirectory tenants;
    private final DeadLetterStore store;
    private final Replays replays;
    private final ApiSupport api;

    public ReplayApi(TenantDirectory tenants, DeadLetterStore store, Replays replays, ApiSupport api) {
        this.tenants = tenants;
        this.store = store;
        this.replays = replays;
        this.api = api;
    }

    /** GET /admin/dead-letters?tenant=&status=&limit= */
    public void adminList(Exchange exchange) {
        Message in = exchange.getMessage();
        api.requireAdmin(in);
        list(in, blankToNull(in.getHeader("tenant", String.class)));
    }

    /** GET /api/dead-letters?status=&limit= */
    public void tenantList(Exchange exchange) {
        Message in = exchange.getMessage();
        list(in, tenant(in).id());
    }

    /** GET /admin/dead-letters/{id} */
    public void adminGet(Exchange exchange) {
        Message in = exchange.getMessage();
        api.requireAdmin(in);
        get(in, null);
    }

    /** GET /api/dead-letters/{id} */
    public void tenantGet(Exchange exchange) {
        Message in = exchange.getMessage();
        get(in, tenant(in).id());
    }

    /** GET /admin/dead-letters/{id}/body: the parked body exactly as it was, to judge it before a replay or discard. */
    public void adminBody(Exchange exchange) {
        Message in = exchange.getMessage();
        api.requireAdmin(in);
        body(in, null);
    }

    /** GET /api/dead-letters/{id}/body */
    public void tenantBody(Exchange exchange) {
        Message in = exchange.getMessage();
        body(in, tenant(in).id());
    }

    private void body(Message in, String tenantId) {
        String id = in.getHeader("id", String.class);
        var letter = store.find(tenantId, id).orElseThrow(() -> HubProblemException.notFound("No parked message " + id + "."));
        in.removeHeaders("*");
        // as a download, never rendered: the bytes came from outside
        in.setHeader(Exchange.CONTENT_TYPE, letter.bodyText() ? "text/plain; charset=UTF-8" : "application/octet-stream");
        in.setHeader("Content-Disposition", "attachment; filename=\"dead-letter-" + id + "\"");
        in.setHeader("X-Content-Type-Options", "nosniff");
        in.setBody(store.body(id));
    }

    /** POST /admin/dead-letters/{id}/replay -> 202 */
    public void adminReplay(Exchange exchange) {
        Message in = exchange.getMessage();
        api.requireAdmin(in);
        api.reply(in, 202, view(replays.replay(null, in.getHeader("id", String.class), "operator"), false));
    }

    /** POST /api/dead-letters/{id}/replay -> 202 */
    public void tenantReplay(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenant(in);
        api.reply(in, 202, view(replays.replay(tenant.id(), in.getHeader("id", String.class),
                "tenant " + tenant.id()), false));
    }

    /** POST /admin/dead-letters/{id}/discard {"note"?} */
    public void adminDiscard(Exchange exchange) {
        Message in = exchange.getMessage();
        api.requireAdmin(in);
        String note = ApiSupport.text(api.body(in, true), "note", false);
        api.reply(in, null, view(replays.discard(null, in.getHeader("id", String.class), "operator", note), false));
    }

    /** POST /api/dead-letters/{id}/discard {"note"?} */
    public void tenantDiscard(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenant(in);
        String note = ApiSupport.text(api.body(in, true), "note", false);
        api.reply(in, null, view(replays.discard(tenant.id(), in.getHeader("id", String.class),
                "tenant " + tenant.id(), note), false));
    }

    /** POST /api/transactions/{id}/replay -> 202: a REJECTED order through intake again. */
    public void replayTransaction(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenant(in);
        String id = in.getHeader("id", String.class);
        String replayId = replays.replayRejected(tenant.id(), id, "tenant " + tenant.id());
        api.reply(in, 202, Map.of("status", "queued", "transactionId", id, "replayId", replayId));
    }

    private void list(Message in, String tenantId) {
        String status = blankToNull(in.getHeader("status", String.class));
        if (status != null && !STATUSES.contains(status)) {
            throw HubProblemException.badRequest("'status' is one of " + String.join(", ", STATUSES) + ".");
        }
        int limit = ApiSupport.limit(in.getHeader("limit", String.class), 100, 500);
        api.reply(in, null, Map.of("items", store.list(tenantId, status, limit).stream().map(d -> view(d, false))
                .toList()));
    }

    private void get(Message in, String tenantId) {
        String id = in.getHeader("id", String.class);
        var letter = store.find(tenantId, id).orElseThrow(() -> HubProblemException.notFound("No parked message " + id + "."));
        api.reply(in, null, view(letter, true));
    }

    private Map<String, Object> view(DeadLetterStore.DeadLetter d, boolean withActions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("tenant", d.tenantId());
        m.put("transactionId", d.transactionId());
        m.put("status", d.status());
        m.put("originQueue", d.originQueue());
        m.put("failedRoute", d.failedRoute());
        m.put("reason", d.reason());
        m.put("failedAt", d.failedAt() == null ? null : d.failedAt().toString());
        m.put("parkedAt", d.parkedAt().toString());
        m.put("updatedAt", d.updatedAt().toString());
        m.put("bodyBytes", d.bodyBytes());
        m.put("sha256", d.sha256());
        m.put("headers", d.headers());
        if (withActions) {
            m.put("actions", store.actions(d.id()).stream().map(a -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("action", a.action());
                x.put("actor", a.actor());
                x.put("note", a.note());
                x.put("at", a.at().toString());
                return x;
            }).toList());
        }
        return m;
    }

    private Tenant tenant(Message in) {
        return tenants.authenticate(in.getHeader("Authorization", String.class));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
