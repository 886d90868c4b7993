package org.tradehub.files;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.DefaultJmsKeyFormatStrategy;
import org.apache.camel.component.jms.JmsKeyFormatStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Queues the records of a file in JMS transactions of many records each (hub.files.batch-records): one journal sync
 * per batch instead of one per order, which is what makes a 10,000-order export take seconds instead of minutes.
 *
 * <p>Still exactly once across a crash, without a distributed transaction: after each batch is committed on the
 * broker, the file's receipt records how many of its records are queued ({@code file_receipt.queued_records}). A
 * resumed file skips those. The one batch that may have been committed but not yet counted is sent again; every
 * record carries its Artemis duplicate id, so the broker refuses the whole transaction, and the batch is then sent
 * record by record, each duplicate refused on its own and counted as queued (the ledger also de-duplicates on the
 * record's keys, behind the broker's cache).
 */
@Component("fileQueue")
public class FileQueue {

    private static final Logger LOG = LoggerFactory.getLogger(FileQueue.class);
    /** Exchange property: the queue the file's records go to (set by FileDrops.detectFormat or the answers route). */
    public static final String QUEUE = "hubQueue";

    /** Records of one JMS transaction, and how many records of the file are queued once it is committed. */
    public record Batch(List<Message> records, int queuedAfter) {}

    private final FileDrops drops;
    private final FileReceipts receipts;
    private final FilesProperties config;
    private final JmsTemplate jms;
    private final JmsKeyFormatStrategy keys = new DefaultJmsKeyFormatStrategy();

    public FileQueue(FileDrops drops, FileReceipts receipts, FilesProperties config, ConnectionFactory connections) {
        this.drops = drops;
        this.receipts = receipts;
        this.config = config;
        this.jms = new JmsTemplate(connections);
        this.jms.setSessionTransacted(true);
    }

    /**
     * The file's records in batches, streaming; the records a crashed pick-up of this same file had queued already
     * are read (their line numbers count) but not sent again.
     */
    public Iterator<Batch> batches(Exchange exchange) throws Exception {
        Iterator<Message> records = drops.records(exchange);
        int alreadyQueued = receipts.queued(exchange.getMessage().getHeader(FileDrops.FILE_RECEIPT, String.class));
        if (alreadyQueued > 0) {
            LOG.info("Resuming {}: {} records were queued before", exchange.getMessage().getHeader(FileDrops.FILE_NAME),
                    alreadyQueued);
        }
        return batched(records, alreadyQueued, config.batchRecords(), config.batchBytes());
    }

    static Iterator<Batch> batched(Iterator<Message> records, int skip, int maxRecords, long maxBytes) {
        return new Iterator<>() {
            int position;

            @Override
            public boolean hasNext() {
                while (position < skip && records.hasNext()) {
                    records.next();
                    position++;
                }
                return records.hasNext();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Message> batch = new ArrayList<>();
                long bytes = 0;
                while (records.hasNext() && batch.size() < maxRecords && bytes < maxBytes) {
                    Message m = records.next();
                    position++;
                    batch.add(m);
                    bytes += size(m.getBody());
                }
                return new Batch(batch, position);
            }
        };
    }

    /** Sends one batch in one JMS transaction, then counts it as queued on the file's receipt. */
    public void send(Exchange exchange) throws JMSException {
        Batch batch = exchange.getMessage().getBody(Batch.class);
        String queue = exchange.getProperty(QUEUE, String.class);
        try {
            sendInOneTransaction(queue, batch.records());
        } catch (org.springframework.jms.JmsException e) {
            if (!duplicate(e)) {
                throw e; // broker unreachable or full: the file stays in place and the next poll resumes it
            }
            LOG.info("{}: a batch of {} records was partly queued before (resumed file); sending it record by record",
                    exchange.getMessage().getHeader(FileDrops.FILE_NAME), batch.records().size());
            for (Message record : batch.records()) {
                sendAlone(queue, record);
            }
        }
        String receipt = exchange.getMessage().getHeader(FileDrops.FILE_RECEIPT, String.class);
        if (receipt != null) {
            receipts.queued(receipt, batch.queuedAfter());
        }
    }

    private void sendAlone(String queue, Message record) {
        try {
            sendInOneTransaction(queue, List.of(record));
        } catch (org.springframework.jms.JmsException e) {
            if (!duplicate(e)) {
                throw e;
            }
            LOG.debug("{} was queued before", record.getHeader(org.tradehub.intake.WebhookGuard.RECEIPT));
        }
    }

    private void sendInOneTransaction(String queue, List<Message> records) {
        jms.execute(session -> {
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            // a file's records yield to orders that come one at a time (OrderPriority)
            producer.setPriority(org.tradehub.intake.OrderPriority.BATCH);
            try {
                for (Message record : records) {
                    producer.send(toJms(session, record));
                }
                session.commit();
            } finally {
                producer.close();
            }
            return null;
        }, true);
    }

    /** The record as a JMS message: text stays text, anything else goes as bytes; headers as Camel's JMS would map them. */
    private jakarta.jms.Message toJms(Session session, Message record) throws JMSException {
        Object body = record.getBody();
        jakarta.jms.Message m;
        if (body instanceof String text) {
            m = session.createTextMessage(text);
        } else {
            jakarta.jms.BytesMessage bytes = session.createBytesMessage();
            bytes.writeBytes(body instanceof byte[] b ? b : record.getBody(byte[].class));
            m = bytes;
        }
        for (Map.Entry<String, Object> h : record.getHeaders().entrySet()) {
            Object value = h.getValue();
            String name = h.getKey();
            if (value == null || name.startsWith("Camel") || name.startsWith("JMS")) {
                continue;
            }
            String key = org.tradehub.intake.WebhookGuard.ARTEMIS_DUPLICATE_ID.equals(name) ? name : keys.encodeKey(name);
            if (value instanceof Number || value instanceof Boolean) {
                m.setObjectProperty(key, value);
            } else {
                m.setStringProperty(key, value.toString());
            }
        }
        return m;
    }

    private static boolean duplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ActiveMQDuplicateIdException
                    || t instanceof JMSException j && j.getLinkedException() instanceof ActiveMQDuplicateIdException) {
                return true;
            }
        }
        return false;
    }

    private static long size(Object body) {
        return body instanceof String s ? s.length() * 2L
                : body instanceof byte[] b ? b.length
                : body == null ? 0 : body.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
