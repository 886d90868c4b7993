package org.tradehub.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.tradehub.ledger.Ledger;
import org.tradehub.ledger.Snapshots;
import org.tradehub.tenant.Tenant;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.web.HubProblemException;

/**
 * The tracking API: a tenant reads its own transactions and their timelines, never another's (another tenant's
 * id answers 404, exactly like an id that does not exist).
 */
@Component("transactionsApi")
public class TransactionsApi {

    private static final int MAX_LIMIT = 500;

    private final TenantDirectory tenants;
    private final Ledger ledger;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final org.tradehub.services.PlanSteps planSteps;
    /** A transaction's view is read in several statements (status, declaration, plan, timeline) from one snapshot. */
    private final Snapshots snapshots;

    public TransactionsApi(TenantDirectory tenants, Ledger ledger, JdbcTemplate jdbc, ObjectMapper json,
                           org.tradehub.services.PlanSteps planSteps, Snapshots snapshots) {
        this.planSteps = planSteps;
        this.tenants = tenants;
        this.ledger = ledger;
        this.jdbc = jdbc;
        this.json = json;
        this.snapshots = snapshots;
    }

    public void get(Exchange exchange) throws JsonProcessingException {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        String id = in.getHeader("id", String.class);
        reply(in, snapshots.read(() -> view(tenant, id)));
    }

    private Map<String, Object> view(Tenant tenant, String id) {
        var t = ledger.find(tenant.id(), id)
                .orElseThrow(() -> HubProblemException.notFound("No transaction " + id + "."));
        Map<String, Object> body = summary(t);
        jdbc.query("select target, lrn, status, mrn, conversation_id, attempts from declaration where transaction_id = ?",
                rs -> {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("target", rs.getString(1));
                    d.put("lrn", rs.getString(2));
                    d.put("status", rs.getString(3));
                    d.put("mrn", rs.getString(4));
                    d.put("conversationId", rs.getString(5));
                    d.put("attempts", rs.getInt(6));
                    body.put("declaration", d);
                }, t.id());
        body.put("plan", planSteps.view(t.id()));
        body.put("timeline", ledger.timeline(t.id()).stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", e.at().toString());
            m.put("type", e.type());
            m.put("summary", e.summary());
            m.put("details", readDetails(e.details()));
            return m;
        }).toList());
        return body;
    }

    public void search(Exchange exchange) throws JsonProcessingException {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        String status = blankToNull(in.getHeader("status", String.class));
        String externalId = blankToNull(in.getHeader("externalId", String.class));
        Instant since = parseSince(blankToNull(in.getHeader("since", String.class)));
        int limit = parseLimit(blankToNull(in.getHeader("limit", String.class)));
        // the next page: "next" of the page before, the id of its last transaction (the tenant's own only)
        String beforeId = blankToNull(in.getHeader("before", String.class));
        Ledger.TransactionRecord before = beforeId == null ? null : ledger.find(tenant.id(), beforeId).orElseThrow(
                () -> HubProblemException.badRequest("'before' must be the id of one of your transactions (a page's"
                        + " \"next\")."));
        // one more than asked for tells whether another page follows
        List<Ledger.TransactionRecord> found = ledger.search(tenant.id(), status, since, externalId, before, limit + 1);
        List<Map<String, Object>> items = found.stream().limit(limit).map(TransactionsApi::summary).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("count", items.size());
        body.put("next", found.size() > limit ? found.get(limit - 1).id() : null);
        reply(in, body);
    }

    private static Map<String, Object> summary(Ledger.TransactionRecord t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("tenant", t.tenantId());
        m.put("status", t.status());
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("channel", t.channel());
        source.put("format", t.format());
        source.put("partner", t.partner());
        source.put("externalId", t.externalId());
        source.put("externalNumber", t.externalNumber());
        source.put("rawDocumentId", t.rawDocumentId());
        m.put("source", source);
        m.put("currency", t.currency());
        // a string: amounts never pass through a binary floating point number
        m.put("grandTotal", t.grandTotal() == null ? null : t.grandTotal().stripTrailingZeros().toPlainString());
        m.put("destinationCountry", t.destinationCountry());
        m.put("receivedAt", t.receivedAt().toString());
        m.put("updatedAt", t.updatedAt().toString());
        return m;
    }

    private Object readDetails(String details) {
        try {
            return details == null ? null : json.readTree(details);
        } catch (JsonProcessingException e) {
            return details;
        }
    }

    private void reply(Message in, Object body) throws JsonProcessingException {
        in.removeHeaders("*");
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(json.writeValueAsBytes(body));
    }

    private static Instant parseSince(String since) {
        try {
            return since == null ? null : Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw HubProblemException.badRequest("'since' must be an ISO 8601 instant such as 2026-11-23T00:00:00Z.");
        }
    }

    private static int parseLimit(String limit) {
        try {
            int n = limit == null ? 100 : Integer.parseInt(limit);
            if (n < 1 || n > MAX_LIMIT) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw HubProblemException.badRequest("'limit' must be a whole number from 1 to " + MAX_LIMIT + ".");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
