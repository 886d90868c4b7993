package org.tradehub.files;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.ledger.Ledger;

/**
 * Response files a partner or provider leaves in its outbox: each is kept in the ledger as received, written on the
 * timeline of every transaction of this tenant it names (by transaction id, in its name or its content), and handed
 * on to {@code hub.answers.received} for the stream that reads that kind of answer.
 */
@Component("fileAnswers")
public class FileAnswers {

    private final FilePartners partners;
    private final FileDrops drops;
    private final Ledger ledger;
    private final TransactionTemplate tx;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;

    public FileAnswers(FilePartners partners, FileDrops drops, Ledger ledger, TransactionTemplate tx,
                       org.springframework.jdbc.core.JdbcTemplate jdbc) {
        this.partners = partners;
        this.drops = drops;
        this.ledger = ledger;
        this.tx = tx;
        this.jdbc = jdbc;
    }

    /** Keeps the answer and notes it on the timelines; returns the one message for hub.answers.received. */
    public List<FileQueue.Batch> record(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        FilesProperties.Partner partner = partners.get(in.getHeader(WebhookGuard.PARTNER, String.class));
        String fileName = in.getHeader(FileDrops.FILE_NAME, String.class);
        String receipt = in.getHeader(FileDrops.FILE_RECEIPT, String.class);
        byte[] content = drops.readAll(exchange);
        String contentType = contentType(fileName);
        List<String> named = new ArrayList<>();
        tx.executeWithoutResult(status -> {
            // a pick-up resumed after a crash: the answer is on the ledger already
            boolean kept = !jdbc.queryForList("select id from document where correlation_id = ? and kind = 'file-answer'",
                    String.class, receipt).isEmpty();
            for (String id : FileDrops.transactionIdsIn(fileName, content)) {
                if (ledger.find(partner.tenant(), id).isPresent()) {
                    named.add(id);
                }
            }
            if (kept) {
                return;
            }
            String documentId = ledger.storeDocument(partner.tenant(), named.isEmpty() ? null : named.get(0),
                    "file-answer", "in", contentType, receipt, content);
            for (String id : named) {
                ledger.addEvent(id, "ANSWER_RECEIVED", "Response file " + fileName + " received from "
                        + partner.id() + " over " + partner.protocol().toUpperCase(java.util.Locale.ROOT) + ".",
                        Map.of("fileName", fileName, "documentId", documentId, "partnerId", partner.id()));
            }
        });
        Message m = new DefaultMessage(exchange.getContext());
        m.setHeader(WebhookGuard.TENANT, partner.tenant());
        m.setHeader(WebhookGuard.PARTNER, partner.id());
        m.setHeader(WebhookGuard.CHANNEL, partner.protocol());
        m.setHeader(WebhookGuard.RECEIPT, receipt);
        m.setHeader(WebhookGuard.RECEIVED_AT, in.getHeader(WebhookGuard.RECEIVED_AT, String.class));
        m.setHeader(FileDrops.FILE_NAME, fileName);
        m.setHeader(Exchange.CONTENT_TYPE, contentType);
        if (!named.isEmpty()) {
            m.setHeader("hubTransactionId", named.get(0));
        }
        m.setHeader(WebhookGuard.ARTEMIS_DUPLICATE_ID, partner.tenant() + "/file:" + partner.id() + ":answer:"
                + in.getHeader(FileDrops.FILE_HASH, String.class));
        m.setBody(content);
        return List.of(new FileQueue.Batch(List.of(m), 1));
    }

    static String contentType(String fileName) {
        String lower = fileName == null ? "" : fileName.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".xml") ? "application/xml"
                : lower.endsWith(".json") ? "application/json"
                : lower.endsWith(".csv") ? "text/csv"
                : lower.endsWith(".x12") ? "application/edi-x12"
                : lower.endsWith(".txt") ? "text/plain" : "application/octet-stream";
    }
}
