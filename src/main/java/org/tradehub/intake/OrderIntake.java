package org.tradehub.intake;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;


import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.canonical.CanonicalSummary;
import org.tradehub.canonical.InvalidTradeTransactionException;
import org.tradehub.ledger.Ledger;
import org.tradehub.ledger.TransactionStatus;
import org.tradehub.ledger.Ids;

import static org.tradehub.intake.WebhookGuard.CHANNEL;
import static org.tradehub.intake.WebhookGuard.DEDUPE_KEYS;
import static org.tradehub.intake.WebhookGuard.FORMAT;
import static org.tradehub.intake.WebhookGuard.PARTNER;
import static org.tradehub.intake.WebhookGuard.RECEIPT;
import static org.tradehub.intake.WebhookGuard.RECEIVED_AT;
import static org.tradehub.intake.WebhookGuard.TENANT;
import static org.tradehub.intake.WebhookGuard.TOPIC;

/**
 * The intake stage's steps that a route cannot say: keeping the raw order, looking up the tenant's own data,
 * explaining a rejection in plain words, and recording the outcome in the ledger in one database transaction
 * that also de-duplicates the delivery.
 */
@Component("orderIntake")
public class OrderIntake {

    public static final String TRANSACTION_ID = "hubTransactionId";
    public static final String DECLARATION_TARGET = "hubDeclarationTarget";
    /** Set on a replay of a rejected order (replay/Replays): the transaction it belongs to. */
    public static final String REPLAY_OF = "hubReplayOf";
    /** The canonical document as far as it was mapped when the order was rejected (its order id, totals). */
    static final String PARTIAL_CANONICAL = "hubPartialCanonical";
    /** What record() did: NEW, REVALIDATED (a rejected order made complete), UPDATE, REJECTED_AGAIN, DUPLICATE. */
    public static final String OUTCOME = "hubIntakeOutcome";
    /** Exchange properties a later step may read: the order as received, the plain-language rejection reasons. */
    public static final String RAW_BODY_PROPERTY = "hubRawBody";
    public static final String REJECT_REASONS_PROPERTY = "hubRejectReasons";
    /**
     * Set when record() has just made the transaction ACCEPTED with this canonical text as its document (a new order,
     * or a rejected one made complete): the service plan decides on it without reading back what was written.
     */
    public static final String ACCEPTED_CANONICAL_PROPERTY = "hubAcceptedCanonical";
    static final String RAW_BODY = RAW_BODY_PROPERTY;
    static final String REJECT_REASONS = REJECT_REASONS_PROPERTY;
    /** Set by a channel that noticed something about the delivery the firm should see (e.g. a reused EDI number). */
    public static final String SOURCE_WARNING = "hubSourceWarning";
    /** Where in a multi-order file the order came from ("orders.csv, lines 12-14"), set by the file channel. */
    public static final String SOURCE_LOCATION = "hubSourceLocation";
    private static final Pattern FORMAT_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

    private final Ledger ledger;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    private final org.tradehub.edi.EdiPartners ediPartners;

    public OrderIntake(Ledger ledger, JdbcTemplate jdbc, TransactionTemplate tx,
                       org.tradehub.edi.EdiPartners ediPartners) {
        this.ediPartners = ediPartners;
        this.ledger = ledger;
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Keeps the raw order exactly as received, and refuses a message our own channels could not have labelled. */
    public void begin(Exchange exchange) {
        Message in = exchange.getMessage();
        String format = in.getHeader(FORMAT, String.class);
        if (in.getHeader(TENANT, String.class) == null || in.getHeader(CHANNEL, String.class) == null
                || format == null || !FORMAT_NAME.matcher(format).matches()) {
            throw new IllegalArgumentException("intake message without a valid tenant, channel or format label");
        }
        exchange.setProperty(RAW_BODY, in.getBody(byte[].class));
    }

    /** Sets header hubTenantData: the tenant's exporter profile and the catalogue entries of this order's SKUs. */
    public void lookUpTenantData(Exchange exchange) {
        Message in = exchange.getMessage();
        String tenant = in.getHeader(TENANT, String.class);
        CanonicalSummary summary = CanonicalSummary.of(in.getBody(String.class));
        StringBuilder xml = new StringBuilder("<TenantData>");
        jdbc.query("select legal_name, eori, lei, address_line, city, postcode, country_code from exporter_profile"
                + " where tenant_id = ?", rs -> {
                    xml.append("<Exporter");
                    attr(xml, "name", rs.getString(1));
                    attr(xml, "eori", rs.getString(2));
                    attr(xml, "lei", rs.getString(3));
                    attr(xml, "line", rs.getString(4));
                    attr(xml, "city", rs.getString(5));
                    attr(xml, "postcode", rs.getString(6));
                    attr(xml, "country", rs.getString(7));
                    xml.append("/>");
                }, tenant);
        List<String> skus = summary.skus().stream().distinct().limit(1000).toList();
        if (!skus.isEmpty()) {
            String marks = String.join(",", java.util.Collections.nCopies(skus.size(), "?"));
            List<Object> args = new ArrayList<>();
            args.add(tenant);
            args.addAll(skus);
            jdbc.query("select sku, hs_code, origin_country, net_mass_kg from product where tenant_id = ? and sku in ("
                    + marks + ")", rs -> {
                        xml.append("<Product");
                        attr(xml, "sku", rs.getString(1));
                        attr(xml, "hs", rs.getString(2));
                        attr(xml, "origin", rs.getString(3));
                        BigDecimal kg = rs.getBigDecimal(4);
                        attr(xml, "netKg", kg == null ? null : kg.stripTrailingZeros().toPlainString());
                        xml.append("/>");
                    }, args.toArray());
        }
        in.setHeader("hubTenantData", xml.append("</TenantData>").toString());
    }

    /**
     * Called for any failure while mapping or validating. A bad order becomes plain-language reasons (the order is
     * then recorded as REJECTED); a failure of ours is rethrown, so the error policy retries it.
     */
    public void explainRejection(Exchange exchange) throws Exception {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        List<String> reasons = reasonsFor(cause, exchange.getMessage().getHeader(FORMAT, String.class));
        if (reasons == null) {
            throw cause;
        }
        exchange.setProperty(REJECT_REASONS, reasons);
        Object mapped = exchange.getMessage().getBody();
        if (mapped instanceof String xml && xml.contains("TradeTransaction")) {
            exchange.setProperty(PARTIAL_CANONICAL, xml);
        }
        exchange.getMessage().setBody(null);
    }

    /**
     * Plain-language reasons when the failure lies in the order itself; null when it lies with us (database or
     * broker trouble), which must be retried rather than blamed on the order.
     */
    static List<String> reasonsFor(Throwable cause, String format) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof org.springframework.dao.DataAccessException || t instanceof java.sql.SQLException
                    || t instanceof org.springframework.jms.JmsException || t instanceof jakarta.jms.JMSException) {
                return null;
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof InvalidTradeTransactionException invalid) {
                return invalid.getViolations().stream().map(v -> v.message()).toList();
            }
            if (t instanceof JsonProcessingException bad) {
                return List.of("The body is not valid JSON: " + bad.getOriginalMessage()
                        + (bad.getLocation() == null ? "" : " (line " + bad.getLocation().getLineNr()
                        + ", column " + bad.getLocation().getColumnNr() + ")") + ".");
            }
        }
        return List.of("The order could not be read as " + format + ": "
                + firstLine(rootCause(cause).getMessage()));
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** Records the order's outcome; sets hubTransactionId and, when a declaration is due, hubDeclarationTarget. */
    public void record(Exchange exchange) {
        Message in = exchange.getMessage();
        @SuppressWarnings("unchecked")
        List<String> reasons = exchange.getProperty(REJECT_REASONS, List.class);
        String canonical = reasons == null ? in.getBody(String.class) : null;
        // channels that carry many orders in one file say where this one came from: a rejection names the place
        String location = in.getHeader(SOURCE_LOCATION, String.class);
        if (reasons != null && location != null) {
            reasons = reasons.stream().map(r -> location + ": " + r).toList();
        }
        Intake order = new Intake(in.getHeader(TENANT, String.class), in.getHeader(CHANNEL, String.class),
                in.getHeader(FORMAT, String.class), in.getHeader(PARTNER, String.class),
                in.getHeader(TOPIC, String.class), in.getHeader(RECEIPT, String.class),
                Instant.parse(in.getHeader(RECEIVED_AT, String.class)),
                keys(in.getHeader(DEDUPE_KEYS, String.class)), exchange.getProperty(RAW_BODY, byte[].class),
                canonical, reasons, exchange.getProperty(PARTIAL_CANONICAL, String.class),
                in.getHeader(REPLAY_OF, String.class), in.getHeader(SOURCE_WARNING, String.class));
        Outcome outcome = tx.execute(status -> {
            Outcome o = recordInTransaction(order);
            if (o.duplicate) {
                status.setRollbackOnly(); // nothing of a duplicate delivery is kept
            }
            return o;
        });
        in.setHeader(TRANSACTION_ID, outcome.transactionId);
        in.setHeader(DECLARATION_TARGET, outcome.declarationTarget);
        in.setHeader(OUTCOME, outcome.kind);
        if (canonical != null && (outcome.kind.equals("NEW") || outcome.kind.equals("REVALIDATED"))) {
            exchange.setProperty(ACCEPTED_CANONICAL_PROPERTY, canonical);
        }
    }

    /**
     * The transaction the order belongs to is decided first (the ledger's, else a new id), so that every row is
     * inserted complete: no row is inserted and then updated with the id, which costs an index update each.
     */
    private Outcome recordInTransaction(Intake order) {
        CanonicalSummary summary = order.canonical != null ? CanonicalSummary.of(order.canonical)
                : partialSummary(order.partialCanonical);
        String externalId = summary != null && summary.externalOrderId() != null ? summary.externalOrderId()
                : "receipt:" + order.receipt;
        var existing = ledger.lockBySource(order.tenant, order.channel, externalId);
        if (existing.isEmpty() && order.replayOf != null) {
            // a replayed order that was unreadable before: it keeps its transaction, now under its own order id
            existing = ledger.lock(order.tenant, order.replayOf);
            if (existing.isPresent() && !externalId.startsWith("receipt:")) {
                jdbc.update("update trade_transaction set external_id = ? where id = ?", externalId, existing.get().id());
            }
        }
        String id = existing.map(Ledger.TransactionRecord::id).orElseGet(() -> Ids.timeOrdered().toString());
        // A key already there is a delivery seen before, or one being recorded now (the insert then waits for that
        // database transaction): either way this delivery is a duplicate, and the rollback keeps nothing of it.
        for (String key : order.dedupeKeys) {
            int fresh = jdbc.update("insert into dedupe_key (tenant_id, dedupe_key, transaction_id, created_at)"
                    + " values (?, ?, ?, ?) on conflict do nothing", order.tenant, key, id,
                    java.sql.Timestamp.from(ledger.now()));
            if (fresh == 0) {
                String earlier = jdbc.queryForList("select transaction_id from dedupe_key where tenant_id = ? and"
                        + " dedupe_key = ?", String.class, order.tenant, key).stream().findFirst().orElse(null);
                return new Outcome(earlier, resumedDeclaration(earlier, order), true, "DUPLICATE");
            }
        }
        String rawId = ledger.storeDocument(order.tenant, id, "order-raw", "in", mediaType(order),
                order.receipt, order.raw);
        return existing.isPresent()
                ? updateExisting(existing.get(), order, summary, rawId)
                : createNew(id, order, summary, externalId, rawId);
    }

    private Outcome createNew(String id, Intake order, CanonicalSummary summary, String externalId, String rawId) {
        boolean valid = order.canonical != null;
        String canonicalId = valid ? ledger.storeDocument(order.tenant, id, "trade-transaction", "in",
                "application/xml", order.receipt, Ledger.utf8(order.canonical)) : null;
        ledger.insertTransaction(new Ledger.NewTransaction(id, order.tenant, order.channel, order.format,
                order.partner, externalId, summary == null ? null : summary.externalOrderNumber(),
                valid ? TransactionStatus.ACCEPTED : TransactionStatus.REJECTED,
                summary == null ? null : summary.currency(), summary == null ? null : summary.grandTotal(),
                summary == null ? null : summary.destinationCountry(), rawId, canonicalId, order.receivedAt));
        ledger.addEvent(id, "RECEIVED", "Order received from " + order.channel
                + (order.partner == null ? "" : " (" + order.partner + ")")
                + (order.topic == null ? "" : ", " + order.topic) + ".", Map.of("receiptId", order.receipt,
                "rawDocumentId", rawId));
        warn(id, order);
        if (!valid) {
            reject(id, order.reasons);
            return new Outcome(id, null, false, "NEW");
        }
        ledger.addEvent(id, "VALIDATED", "The order is a complete trade transaction: its codes were checked"
                + " against the ISO, UN/ECE and HS code lists.", null);
        return new Outcome(id, declarationTarget(order.tenant, id, summary), false, "NEW");
    }

    /**
     * A redelivery of an order we recorded but whose next step may not have been queued (the hub stopped between
     * the database commit and the queue commit): queue the declaration again. Its stage is idempotent.
     */
    private String resumedDeclaration(String transactionId, Intake order) {
        if (transactionId == null || order.canonical == null) {
            return null;
        }
        boolean accepted = ledger.find(transactionId).map(t -> TransactionStatus.ACCEPTED.equals(t.status()))
                .orElse(false);
        if (accepted && ediPartners.cusdecPartner(order.tenant).isPresent()) {
            return org.tradehub.edi.CusdecDeclarations.TARGET;
        }
        return accepted && "GB".equals(CanonicalSummary.of(order.canonical).exporterCountry()) ? "gb-cds" : null;
    }

    /** A later delivery about an order the ledger has: a shop's update, payment or cancellation, or a fixed order. */
    private Outcome updateExisting(Ledger.TransactionRecord existing, Intake order, CanonicalSummary summary,
                                   String rawId) {
        String what = order.replayOf != null ? "the replayed order" : order.topic == null ? "an update" : order.topic;
        warn(existing.id(), order);
        boolean rejected = TransactionStatus.REJECTED.equals(existing.status());
        if (rejected && order.reasons != null) {
            reject(existing.id(), order.reasons); // still not usable: say why, as of now
            return new Outcome(existing.id(), null, false, "REJECTED_AGAIN");
        }
        if (rejected && order.canonical != null) {
            String canonicalId = ledger.storeDocument(order.tenant, existing.id(), "trade-transaction", "in",
                    "application/xml", order.receipt, Ledger.utf8(order.canonical));
            ledger.updateCanonical(existing.id(), TransactionStatus.ACCEPTED, canonicalId, summary.currency(),
                    summary.grandTotal(), summary.destinationCountry());
            ledger.addEvent(existing.id(), "VALIDATED", (order.replayOf != null ? "The replayed order is complete"
                    : "The source sent " + what + " that makes the order complete") + "; it is now a valid trade"
                    + " transaction.", Map.of("rawDocumentId", rawId));
            return new Outcome(existing.id(), declarationTarget(order.tenant, existing.id(), summary), false,
                    "REVALIDATED");
        }
        ledger.addEvent(existing.id(), "SOURCE_UPDATE", "The source sent " + what + " for this order; the export"
                + " documents already derived stay as they are.", Map.of("rawDocumentId", rawId));
        return new Outcome(existing.id(), null, false,
                TransactionStatus.REJECTED.equals(existing.status()) ? "REJECTED_AGAIN" : "UPDATE");
    }

    private void warn(String id, Intake order) {
        if (order.warning != null) {
            ledger.addEvent(id, "SOURCE_WARNING", order.warning, null);
        }
    }

    private void reject(String id, List<String> reasons) {
        ledger.addEvent(id, "REJECTED", "The order cannot be used for export: " + String.join(" ", reasons)
                + " Fix it at the source (or in your product catalogue and exporter profile) and send it again, or"
                + " replay it.", Map.of("reasons", reasons));
    }

    /** Which single window declares this export: the exporter's country decides. */
    private String declarationTarget(String tenant, String id, CanonicalSummary summary) {
        if (ediPartners.cusdecPartner(tenant).isPresent()) {
            return org.tradehub.edi.CusdecDeclarations.TARGET; // the tenant declares by CUSDEC to its single window
        }
        if ("GB".equals(summary.exporterCountry())) {
            return "gb-cds";
        }
        ledger.addEvent(id, "NO_SINGLE_WINDOW", "No single window is configured for exports from "
                + (summary.exporterCountry() == null ? "an unknown country" : summary.exporterCountry())
                + "; the export declaration must be lodged another way.", null);
        return null;
    }


    private static CanonicalSummary partialSummary(String partialCanonical) {
        try {
            return partialCanonical == null ? null : CanonicalSummary.of(partialCanonical);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static String mediaType(Intake order) {
        return "json".equals(order.syntax()) ? "application/json" : "application/octet-stream";
    }

    private static List<String> keys(String header) {
        return header == null ? List.of() : Arrays.stream(header.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable content.";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static void attr(StringBuilder xml, String name, String value) {
        if (value == null) {
            return;
        }
        xml.append(' ').append(name).append("=\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '&' -> xml.append("&amp;");
                case '<' -> xml.append("&lt;");
                case '"' -> xml.append("&quot;");
                default -> xml.append(c);
            }
        }
        xml.append('"');
    }

    private record Intake(String tenant, String channel, String format, String partner, String topic,
                          String receipt, Instant receivedAt, List<String> dedupeKeys, byte[] raw, String canonical,
                          List<String> reasons, String partialCanonical, String replayOf, String warning) {
        String syntax() {
            return channel.equals("shopify") || channel.equals("woocommerce") ? "json" : "other";
        }
    }

    private record Outcome(String transactionId, String declarationTarget, boolean duplicate, String kind) {}
}
