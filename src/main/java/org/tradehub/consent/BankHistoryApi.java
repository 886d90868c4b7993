package org.tradehub.consent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.tradehub.ledger.Ledger;
import org.tradehub.ledger.Ledger.TransactionRecord;
import org.tradehub.web.ApiSupport;
import org.tradehub.web.HubProblemException;

/**
 * A bank reads a tenant's transaction history, in JSON or CSV, only under a consent in force and only within its
 * scope. Every request the bank makes is logged for the tenant, granted or refused. A refusal says the same for a
 * tenant without consent, with an expired or revoked one, and one that does not exist: nothing to learn by probing.
 */
@Component("bankHistoryApi")
public class BankHistoryApi {

    /** Fields every record carries: the stable id and the time that orders the history. */
    static final List<String> ALWAYS = List.of("id", "receivedAt");
    private static final Map<String, Function<TransactionRecord, Object>> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("id", TransactionRecord::id);
        FIELDS.put("receivedAt", t -> t.receivedAt().toString());
        FIELDS.put("status", TransactionRecord::status);
        FIELDS.put("channel", TransactionRecord::channel);
        FIELDS.put("format", TransactionRecord::format);
        FIELDS.put("externalId", TransactionRecord::externalId);
        FIELDS.put("externalNumber", TransactionRecord::externalNumber);
        FIELDS.put("currency", TransactionRecord::currency);
        // a decimal string: amounts never pass through a binary floating point number
        FIELDS.put("grandTotal", t -> t.grandTotal() == null ? null : t.grandTotal().stripTrailingZeros().toPlainString());
        FIELDS.put("destinationCountry", TransactionRecord::destinationCountry);
        FIELDS.put("updatedAt", t -> t.updatedAt().toString());
    }

    /** The fields a consent's scope may name (the others are always there). */
    static final List<String> OPTIONAL_FIELDS = FIELDS.keySet().stream().filter(f -> !ALWAYS.contains(f)).toList();
    private static final String REFUSAL = "This bank holds no consent in force to read this tenant's transactions.";

    private final BankDirectory banks;
    private final Consents consents;
    private final Ledger ledger;
    private final ApiSupport api;
    private final ConsentProperties settings;

    public BankHistoryApi(BankDirectory banks, Consents consents, Ledger ledger, ApiSupport api,
                          ConsentProperties settings) {
        this.banks = banks;
        this.consents = consents;
        this.ledger = ledger;
        this.api = api;
        this.settings = settings;
    }

    /** GET /bank/consents: the consents this bank holds, with the tenant, the window, the scope and the state now. */
    public void consents(Exchange exchange) {
        Message in = exchange.getMessage();
        BankDirectory.Bank bank = banks.authenticate(in.getHeader("Authorization", String.class), "GET /bank/consents");
        Instant now = consents.now();
        api.reply(in, null, Map.of("items", consents.ofBank(bank.id()).stream().map(c -> {
            Map<String, Object> view = ConsentApi.view(c, now);
            view.put("tenant", c.tenantId());
            return view;
        }).toList()));
    }

    /** GET /bank/tenants/{tenant}/transactions?since=&until=&status=&limit=&cursor=&format=json|csv. */
    public void transactions(Exchange exchange) {
        Message in = exchange.getMessage();
        String tenantId = in.getHeader("tenant", String.class);
        String query = in.getHeader(Exchange.HTTP_QUERY, String.class);
        String request = "GET " + in.getHeader(Exchange.HTTP_PATH, String.class) + (query == null ? "" : "?" + query);
        BankDirectory.Bank bank = banks.authenticate(in.getHeader("Authorization", String.class), request);
        Instant now = consents.now();
        List<Consent> ofBank = consents.ofBankAndTenant(bank.id(), tenantId);
        Consent consent = ofBank.stream().filter(c -> c.stateAt(now) == Consent.State.ACTIVE).findFirst().orElse(null);
        if (consent == null) {
            String reason = ofBank.isEmpty() ? "no consent"
                    : "consent " + ofBank.get(0).stateAt(now).name().toLowerCase(java.util.Locale.ROOT);
            consents.logAccess(bank.id(), tenantId, ofBank.isEmpty() ? null : ofBank.get(0).id(), false, reason,
                    request, null, 0);
            throw new HubProblemException(403, "no-consent", "Forbidden", REFUSAL);
        }
        Page page;
        boolean csv;
        try {
            csv = wantsCsv(in);
            page = read(consent, in);
        } catch (HubProblemException bad) {
            consents.logAccess(bank.id(), tenantId, consent.id(), false, "bad request: " + bad.detail(), request,
                    null, 0);
            throw bad;
        }
        List<String> fields = new ArrayList<>(ALWAYS);
        fields.addAll(consent.fields() == null ? OPTIONAL_FIELDS
                : OPTIONAL_FIELDS.stream().filter(consent.fields()::contains).toList());
        consents.logAccess(bank.id(), tenantId, consent.id(), true, null, request, csv ? "text/csv" : "application/json",
                page.items.size());
        if (csv) {
            in.removeHeaders("*");
            in.setHeader(Exchange.CONTENT_TYPE, "text/csv; charset=UTF-8; header=present");
            in.setBody(csv(fields, page.items).getBytes(StandardCharsets.UTF_8));
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant", tenantId);
            body.put("consentId", consent.id());
            body.put("items", page.items.stream().map(t -> record(fields, t)).toList());
            body.put("count", page.items.size());
            body.put("nextCursor", page.nextCursor);
            api.reply(in, null, body);
        }
        if (page.nextCursor != null) {
            in.setHeader("X-Next-Cursor", page.nextCursor);
        }
    }

    private record Page(List<TransactionRecord> items, String nextCursor) {}

    /** The page the request asks for, cut to the consent's scope: its statuses and its part of the history. */
    private Page read(Consent consent, Message in) {
        Instant since = later(ApiSupport.instant("since", in.getHeader("since", String.class)), consent.historyFrom());
        Instant until = earlier(ApiSupport.instant("until", in.getHeader("until", String.class)), consent.historyUntil());
        int limit = ApiSupport.limit(in.getHeader("limit", String.class), Math.min(100, settings.maxPageSize()),
                settings.maxPageSize());
        List<String> statuses = consent.statuses();
        String asked = in.getHeader("status", String.class);
        if (asked != null && !asked.isBlank()) {
            List<String> wanted = Arrays.stream(asked.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            statuses = statuses == null ? wanted : statuses.stream().filter(wanted::contains).toList();
        }
        String[] after = decodeCursor(in.getHeader("cursor", String.class));
        if ((statuses != null && statuses.isEmpty()) || (since != null && until != null && !until.isAfter(since))) {
            return new Page(List.of(), null);
        }
        List<TransactionRecord> rows = ledger.page(consent.tenantId(), statuses, since, until,
                after == null ? null : Instant.parse(after[0]), after == null ? null : after[1], limit + 1);
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        TransactionRecord last = rows.get(limit - 1);
        return new Page(rows.subList(0, limit), Base64.getUrlEncoder().withoutPadding().encodeToString(
                (last.receivedAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8)));
    }

    private static String[] decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8).split("\\|", 2);
            Instant.parse(parts[0]);
            if (parts.length != 2 || parts[1].isEmpty() || parts[1].length() > 36) {
                throw new IllegalArgumentException();
            }
            return parts;
        } catch (RuntimeException e) {
            throw HubProblemException.badRequest("'cursor' is not one this API gave out (use nextCursor as it is).");
        }
    }

    private static boolean wantsCsv(Message in) {
        String format = in.getHeader("format", String.class);
        if (format != null && !format.isBlank()) {
            return switch (format.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw HubProblemException.badRequest("'format' is json or csv.");
            };
        }
        String accept = in.getHeader("Accept", String.class);
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/csv");
    }

    private static Map<String, Object> record(List<String> fields, TransactionRecord t) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String f : fields) {
            m.put(f, FIELDS.get(f).apply(t));
        }
        return m;
    }

    /** RFC 4180: a header row, CRLF line ends, a field quoted when it holds a comma, quote or line break. */
    static String csv(List<String> fields, List<TransactionRecord> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.join(",", fields.stream().map(BankHistoryApi::csvField).toList())).append("\r\n");
        for (TransactionRecord t : rows) {
            List<String> values = new ArrayList<>();
            for (String f : fields) {
                Object v = FIELDS.get(f).apply(t);
                values.add(csvField(v == null ? "" : v.toString()));
            }
            out.append(String.join(",", values)).append("\r\n");
        }
        return out.toString();
    }

    /**
     * RFC 4180 quoting, after neutralising spreadsheet formulas (OWASP "CSV Injection"): a value starting with =, +,
     * -, @, tab or carriage return would be run as a formula by Excel, LibreOffice or Google Sheets when the bank
     * opens the file, so it is prefixed with a single quote and is shown as the text it is.
     */
    static String csvField(String raw) {
        String value = !raw.isEmpty() && "=+-@\t\r".indexOf(raw.charAt(0)) >= 0 ? "'" + raw : raw;
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0 || (!value.isEmpty() && (value.charAt(0) == ' '
                || value.charAt(value.length() - 1) == ' '));
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }
}
