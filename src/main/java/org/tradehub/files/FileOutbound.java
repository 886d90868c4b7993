package org.tradehub.files;

import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.ledger.Ledger;
import org.tradehub.ledger.Ids;

/**
 * Documents for partners that take files ({@code hub.outbound.file}): where they go (the partner's drop directory),
 * under which name (never one that leaves that directory), and what the ledger keeps of the delivery.
 */
@Component("fileOutbound")
public class FileOutbound {

    public static final String DOCUMENT_TYPE = "hubDocumentType";
    public static final String DOCUMENT_ID = "hubDocumentId";
    static final String ENDPOINT = "hubFileEndpoint";
    static final String ALREADY_SENT = "hubFileAlreadySent";

    private final FilePartners partners;
    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final TransactionTemplate tx;

    public FileOutbound(FilePartners partners, JdbcTemplate jdbc, Ledger ledger, TransactionTemplate tx) {
        this.partners = partners;
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.tx = tx;
    }

    /** Checks the message against the partner's profile and sets the target endpoint and file name. */
    public void prepare(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        Message in = exchange.getMessage();
        FilesProperties.Partner partner = partners.get(in.getHeader(WebhookGuard.PARTNER, String.class));
        if (!partner.tenant().equals(in.getHeader(WebhookGuard.TENANT, String.class))) {
            throw new IllegalArgumentException("partner " + partner.id() + " does not belong to tenant "
                    + in.getHeader(WebhookGuard.TENANT, String.class));
        }
        if (partner.dropDirectory() == null || partner.dropDirectory().isBlank()) {
            throw new IllegalArgumentException("partner " + partner.id() + " has no drop-directory for documents");
        }
        String name = fileName(in);
        byte[] body = in.getMandatoryBody(byte[].class);
        in.setBody(body);
        String sha = Ledger.sha256(body);
        in.setHeader(FileDrops.FILE_HASH, sha);
        in.setHeader(Exchange.FILE_NAME, name);
        exchange.setProperty(ALREADY_SENT, !jdbc.queryForList("select sha256 from file_sent where partner_id = ? and"
                + " file_name = ? and sha256 = ?", String.class, partner.id(), name, sha).isEmpty());
        exchange.setProperty(ENDPOINT, partners.producerUri(partner, partner.dropDirectory()));
    }

    /** The file is on the partner's server: note it (so a redelivery does not write it again) and on the timeline. */
    public void sent(Exchange exchange) {
        Message in = exchange.getMessage();
        FilesProperties.Partner partner = partners.get(in.getHeader(WebhookGuard.PARTNER, String.class));
        String name = in.getHeader(Exchange.FILE_NAME, String.class);
        String transactionId = in.getHeader("hubTransactionId", String.class);
        String type = in.getHeader(DOCUMENT_TYPE, String.class);
        boolean known = transactionId != null && ledger.find(partner.tenant(), transactionId).isPresent();
        tx.executeWithoutResult(status -> {
            jdbc.update("insert into file_sent (partner_id, file_name, sha256, transaction_id, document_type, sent_at)"
                            + " values (?, ?, ?, ?, ?, ?) on conflict do nothing", partner.id(), name,
                    in.getHeader(FileDrops.FILE_HASH, String.class), known ? transactionId : null, type,
                    Timestamp.from(ledger.now()));
            if (known) {
                Map<String, Object> details = new HashMap<>();
                details.put("fileName", name);
                details.put("partnerId", partner.id());
                if (in.getHeader(DOCUMENT_ID) != null) {
                    details.put("documentId", in.getHeader(DOCUMENT_ID, String.class));
                }
                ledger.addEvent(transactionId, "DOCUMENT_SENT", (type == null ? "Document" : type) + " delivered to "
                        + partner.id() + " as file " + name + " over "
                        + partner.protocol().toUpperCase(Locale.ROOT) + ".", details);
            }
        });
    }

    /** The suggested name when it is a plain file name; otherwise refused. Without one: type-transaction-id. */
    static String fileName(Message in) {
        String suggested = in.getHeader(FileDrops.FILE_NAME, String.class);
        if (suggested == null || suggested.isBlank()) {
            String type = in.getHeader(DOCUMENT_TYPE, "document", String.class).toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9-]", "");
            String id = in.getHeader("hubTransactionId", in.getHeader(DOCUMENT_ID, Ids.random().toString(),
                    String.class), String.class);
            return type + "-" + id.replaceAll("[^A-Za-z0-9-]", "") + extension(in.getHeader(Exchange.CONTENT_TYPE,
                    String.class));
        }
        String name = suggested.trim();
        if (!FileDrops.SAFE_NAME.matcher(name).matches() || name.startsWith(".") || name.contains("..")) {
            throw new IllegalArgumentException("the file name '" + name.replaceAll("\\p{Cntrl}", "?")
                    + "' is not a plain file name inside the partner's directory");
        }
        return name;
    }

    private static String extension(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        return type.contains("xml") ? ".xml" : type.contains("json") ? ".json" : type.contains("csv") ? ".csv"
                : type.contains("edi") ? ".edi" : ".dat";
    }
}
