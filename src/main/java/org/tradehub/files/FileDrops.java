package org.tradehub.files;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.xml.SafeXml;

/**
 * The steps of a file drop that a route cannot say: the content hash and the claim in the de-duplication store,
 * recognising the format, cutting a file into the records the intake queues expect (streaming, so a file of any
 * size is read in constant memory), and the outcome of the file.
 */
@Component("fileDrops")
public class FileDrops {

    public static final String PURPOSE = "hubFilePurpose";
    public static final String ARCHIVE_DIR = "hubArchiveDir";
    public static final String ARCHIVE_NAME = "hubArchiveName";
    public static final String DUPLICATE = "hubFileDuplicate";
    public static final String FILE_RECEIPT = "hubFileReceiptId";
    public static final String FILE_HASH = "hubFileSha256";
    public static final String FILE_FORMAT = "hubFileFormat";
    public static final String FILE_NAME = "hubFileName";
    /** Where in a file an order came from ("orders.csv, lines 12-14"); the ledger names it in a rejection. */
    public static final String SOURCE_LOCATION = org.tradehub.intake.OrderIntake.SOURCE_LOCATION;
    private static final String RECORDS = "hubFileRecords";

    /** A plain file name: no directory part, no parent reference, no control characters. */
    static final Pattern SAFE_NAME = Pattern.compile("[^/\\\\\\p{Cntrl}:*?\"<>|]{1,200}");
    private static final Pattern UUID_IN_TEXT = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_RECORD_CHARS = 1 << 20;

    private final FilePartners partners;
    private final FileReceipts receipts;
    private final FilesProperties config;
    private final Clock clock;

    public FileDrops(FilePartners partners, FileReceipts receipts, FilesProperties config, Clock clock) {
        this.partners = partners;
        this.receipts = receipts;
        this.config = config;
        this.clock = clock;
    }

    /**
     * A file has arrived (complete, by the read lock): hash its content, claim it in the de-duplication store and
     * decide where it will be archived. Sets hubFileDuplicate when this exact file (partner, name, content) was
     * processed before.
     */
    public void receive(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        FilesProperties.Partner partner = partners.get(in.getHeader(WebhookGuard.PARTNER, String.class));
        String purpose = in.getHeader(PURPOSE, String.class);
        String name = in.getHeader(Exchange.FILE_NAME_ONLY, String.class);
        in.setHeader(ARCHIVE_DIR, ".done");
        in.setHeader(ARCHIVE_NAME, STAMP.format(clock.instant()) + "-" + name);
        in.setHeader(FILE_NAME, name);
        if (name == null || !SAFE_NAME.matcher(name).matches() || name.contains("..")) {
            throw new UnreadableFileException("the file name is not a plain file name");
        }
        long size;
        String sha256;
        try (InputStream content = open(exchange)) {
            MessageDigest digest = sha256();
            size = content.transferTo(new DigestOutput(digest));
            sha256 = HexFormat.of().formatHex(digest.digest());
        }
        // The receipt's key holds the hash, so the hash of anything but the file as listed would be a second receipt
        // for it (and its records queued again under other keys). A copy can differ from it: a transfer that ends
        // early without an error (JSch's get stops quietly once its channel reports the end of the stream, and Camel
        // renames what it has into the work directory as the file), or a file rewritten after the read lock let it
        // through. So a copy whose size is not the size the server listed is refused before any claim; the file
        // stays where it is and a later poll, listing it again, takes it whole. (A file that was still growing when
        // it was listed costs one refused attempt.)
        Long listed = in.getHeader(Exchange.FILE_LENGTH, Long.class);
        if (listed != null && listed >= 0 && size != listed) {
            throw new IOException("the copy of " + name + " has " + size + " bytes where the server listed " + listed
                    + ": not the whole file (the transfer ended early, or the file changed since it was listed); it"
                    + " stays on the server and is taken again");
        }
        FileReceipts.Claim claim = receipts.claim(partner.id(), purpose, name, sha256, size, clock.instant());
        in.setHeader(FILE_HASH, sha256);
        in.setHeader(FILE_RECEIPT, claim.id());
        in.setHeader(WebhookGuard.RECEIVED_AT, claim.receivedAt().toString());
        in.setHeader(DUPLICATE, claim.alreadyDone());
        long limit = config.maxFileBytes();
        if (!claim.alreadyDone() && size > limit) {
            throw new UnreadableFileException("the file has " + size + " bytes, more than the limit of " + limit);
        }
    }

    /** Sets hubFileFormat (shopify-csv, ubl or edi): the partner's configured format, or recognised by content. */
    public void detectFormat(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        FilesProperties.Partner partner = partners.get(in.getHeader(WebhookGuard.PARTNER, String.class));
        String format = partner.format();
        if ("auto".equals(format)) {
            byte[] head;
            try (InputStream content = open(exchange)) {
                head = content.readNBytes(512);
            }
            String start = new String(head, StandardCharsets.ISO_8859_1).replaceFirst("^(\u00ef\u00bb\u00bf)?\\s*", "");
            format = start.startsWith("<") ? "ubl"
                    : start.startsWith("UNA") || start.startsWith("UNB") || start.startsWith("ISA") ? "edi"
                    : "shopify-csv";
        }
        in.setHeader(FILE_FORMAT, format);
        exchange.setProperty("hubQueue", "edi".equals(format) ? "hub.edi.interchanges.received" : "hub.orders.received");
    }

    /**
     * The records of the file, one intake message each (headers and body), read as the split needs them: the
     * orders of a CSV export (consecutive rows of one order number), or the file itself as one UBL order or one EDI
     * interchange. Refuses a file that cannot be read at all.
     */
    public Iterator<Message> records(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        FilesProperties.Partner partner = partners.get(in.getHeader(WebhookGuard.PARTNER, String.class));
        String format = in.getHeader(FILE_FORMAT, String.class);
        int[] count = new int[1];
        exchange.setProperty(RECORDS, count);
        Iterator<Message> records = switch (format) {
            case "shopify-csv" -> new CsvOrders(exchange, partner, csvReader(exchange));
            case "ubl" -> List.of(ublOrder(exchange, partner)).iterator();
            case "edi" -> List.of(ediInterchange(exchange, partner)).iterator();
            default -> throw new IllegalStateException("unknown file format " + format);
        };
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public Message next() {
                count[0]++;
                return records.next();
            }
        };
    }

    /** The file's records are all queued: record it as done, so it is never processed again. */
    public void complete(Exchange exchange) {
        Message in = exchange.getMessage();
        int[] count = exchange.getProperty(RECORDS, int[].class);
        receipts.done(in.getHeader(FILE_RECEIPT, String.class), in.getHeader(FILE_FORMAT, String.class),
                count == null ? 0 : count[0], archived(in), clock.instant());
    }

    /**
     * The file cannot be read at all: it goes to .error/ and the body becomes the reason file written beside it.
     */
    public void unreadable(Exchange exchange) {
        Message in = exchange.getMessage();
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = "The file " + in.getHeader(FILE_NAME, String.class) + " could not be read: "
                + (cause == null ? "unknown reason" : cause.getMessage()) + ".";
        in.setHeader(ARCHIVE_DIR, ".error");
        String receipt = in.getHeader(FILE_RECEIPT, String.class);
        if (receipt != null) {
            receipts.failed(receipt, reason, archived(in), clock.instant());
        }
        in.setHeader(Exchange.FILE_NAME, in.getHeader(ARCHIVE_NAME, String.class) + ".reason.txt");
        in.setBody(reason + "\nReceived by the trade hub at " + clock.instant() + (receipt == null ? ""
                : ", receipt " + receipt) + ". Fix the file and drop it again under any name.\n");
    }

    private static String archived(Message in) {
        return in.getHeader(ARCHIVE_DIR, String.class) + "/" + in.getHeader(ARCHIVE_NAME, String.class);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private Message ublOrder(Exchange exchange, FilesProperties.Partner partner) throws IOException {
        byte[] body = readAll(exchange);
        try {
            XMLStreamReader xml = SafeXml.xmlInputFactory().createXMLStreamReader(new ByteArrayInputStream(body));
            while (xml.next() != XMLStreamConstants.START_ELEMENT) {
                // prolog
            }
            if (!"Order".equals(xml.getLocalName())
                    || !"urn:oasis:names:specification:ubl:schema:xsd:Order-2".equals(xml.getNamespaceURI())) {
                throw new UnreadableFileException("the root element is {" + xml.getNamespaceURI() + "}"
                        + xml.getLocalName() + ", not a UBL 2.1 Order");
            }
            while (xml.hasNext()) {
                xml.next(); // well-formed to the end
            }
        } catch (XMLStreamException e) {
            throw new UnreadableFileException("it is not well-formed XML ("
                    + (e.getLocation() == null ? "" : "line " + e.getLocation().getLineNumber() + ": ")
                    + e.getMessage().replaceFirst("(?s)^ParseError at \\[.*?\\]\\s*Message:\\s*", "") + ")");
        }
        Message m = intakeMessage(exchange, partner, "ubl-order-2.1", "file", in(exchange, FILE_NAME));
        m.setBody(body);
        return m;
    }

    private Message ediInterchange(Exchange exchange, FilesProperties.Partner partner) throws IOException {
        byte[] body = readAll(exchange);
        String start = new String(body, 0, Math.min(body.length, 64), StandardCharsets.ISO_8859_1)
                .replaceFirst("^(\u00ef\u00bb\u00bf)?\\s*", "");
        if (!(start.startsWith("UNA") || start.startsWith("UNB") || start.startsWith("ISA"))) {
            throw new UnreadableFileException("it is not an EDI interchange: it starts with neither UNA, UNB nor ISA");
        }
        Message m = new DefaultMessage(exchange.getContext());
        String key = "file:" + partner.id() + ":" + in(exchange, FILE_HASH);
        m.setHeader(WebhookGuard.TENANT, partner.tenant());
        m.setHeader(WebhookGuard.PARTNER, partner.id());
        m.setHeader(WebhookGuard.CHANNEL, partner.protocol());
        m.setHeader(WebhookGuard.RECEIPT, in(exchange, FILE_RECEIPT));
        m.setHeader(WebhookGuard.RECEIVED_AT, in(exchange, WebhookGuard.RECEIVED_AT));
        m.setHeader(FILE_NAME, in(exchange, FILE_NAME));
        m.setHeader(WebhookGuard.ARTEMIS_DUPLICATE_ID, partner.tenant() + "/" + key);
        m.setBody(body);
        return m;
    }

    /** An order message for hub.orders.received, labelled as the intake contract says. */
    private Message intakeMessage(Exchange exchange, FilesProperties.Partner partner, String sourceFormat,
                                  String recordKey, String location) {
        Message m = new DefaultMessage(exchange.getContext());
        String receipt = in(exchange, FILE_RECEIPT);
        String key = "file:" + partner.id() + ":" + in(exchange, FILE_HASH) + ":" + recordKey;
        m.setHeader(WebhookGuard.TENANT, partner.tenant());
        m.setHeader(WebhookGuard.PARTNER, partner.id());
        m.setHeader(WebhookGuard.CHANNEL, partner.protocol());
        m.setHeader(WebhookGuard.FORMAT, sourceFormat);
        m.setHeader(WebhookGuard.SYNTAX, "xml");
        m.setHeader(WebhookGuard.RECEIPT, "file".equals(recordKey) ? receipt : receipt + ":" + recordKey);
        m.setHeader(WebhookGuard.RECEIVED_AT, in(exchange, WebhookGuard.RECEIVED_AT));
        m.setHeader(WebhookGuard.DEDUPE_KEYS, key);
        m.setHeader(WebhookGuard.ARTEMIS_DUPLICATE_ID, partner.tenant() + "/" + key);
        m.setHeader(FILE_NAME, in(exchange, FILE_NAME));
        m.setHeader(SOURCE_LOCATION, location);
        return m;
    }

    private Reader csvReader(Exchange exchange) throws IOException {
        InputStream content = new BufferedInputStream(open(exchange), 1 << 16);
        content.mark(3);
        byte[] bom = content.readNBytes(3);
        if (!(bom.length == 3 && (bom[0] & 0xff) == 0xef && (bom[1] & 0xff) == 0xbb && (bom[2] & 0xff) == 0xbf)) {
            content.reset();
        }
        // bytes that are not UTF-8 become U+FFFD, and the row holding them is rejected with its line (not the file)
        return new InputStreamReader(content, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    /**
     * The orders of a Shopify order export: one row per line item, the order's fields repeated (or only on its first
     * row), rows of one order consecutive. Each order becomes an XML chunk of named cells with the source line
     * numbers; the mapping template (mappings/inbound/shopify-csv-order.xsl) decides what the columns mean.
     */
    private final class CsvOrders implements Iterator<Message> {
        private final Exchange exchange;
        private final FilesProperties.Partner partner;
        private final Reader reader;
        private final CsvRecords csv;
        private final List<String> header;
        private final int nameColumn;
        private CsvRecords.Record pending;
        private boolean closed;

        CsvOrders(Exchange exchange, FilesProperties.Partner partner, Reader reader) throws IOException {
            this.exchange = exchange;
            this.partner = partner;
            this.reader = reader;
            this.csv = new CsvRecords(reader, MAX_RECORD_CHARS);
            CsvRecords.Record first = read();
            if (first == null) {
                close();
                throw new UnreadableFileException("it is empty");
            }
            header = first.fields().stream().map(String::trim).toList();
            nameColumn = header.indexOf("Name");
            if (first.problem() != null || nameColumn < 0 || !header.contains("Lineitem quantity")) {
                close();
                throw new UnreadableFileException("line " + first.firstLine() + " is not the header of a Shopify"
                        + " order export (it needs the columns Name and Lineitem quantity)");
            }
            pending = read();
            if (pending == null) {
                close();
            }
        }

        @Override
        public boolean hasNext() {
            return pending != null;
        }

        @Override
        public Message next() {
            if (pending == null) {
                throw new NoSuchElementException();
            }
            List<CsvRecords.Record> rows = new ArrayList<>();
            String name = orderName(pending);
            rows.add(pending);
            try {
                pending = read();
                while (pending != null && name != null && name.equals(orderName(pending))) {
                    rows.add(pending);
                    pending = read();
                }
                if (pending == null) {
                    close();
                }
            } catch (IOException e) {
                close();
                throw new java.io.UncheckedIOException(e);
            }
            int firstLine = rows.get(0).firstLine();
            int lastLine = rows.get(rows.size() - 1).lastLine();
            String file = in(exchange, FILE_NAME);
            String location = file + (firstLine == lastLine ? ", line " + firstLine
                    : ", lines " + firstLine + "-" + lastLine);
            String orderKey = (name == null ? "" : name.length() > 80 ? name.substring(0, 80) : name) + "@" + firstLine;
            Message m = intakeMessage(exchange, partner, "shopify-csv-order", orderKey, location);
            m.setBody(chunk(file, rows));
            return m;
        }

        /** The order number of a well-formed row; null for a row that stands alone (no number, broken syntax). */
        private String orderName(CsvRecords.Record row) {
            if (problem(row) != null) {
                return null;
            }
            String name = row.fields().get(nameColumn).trim();
            return name.isEmpty() ? null : name;
        }

        private String chunk(String file, List<CsvRecords.Record> rows) {
            StringBuilder xml = new StringBuilder(1024).append("<CsvOrder file=\"");
            escape(xml, file);
            xml.append("\">");
            for (CsvRecords.Record row : rows) {
                xml.append("<Row line=\"").append(row.firstLine()).append('"');
                String problem = problem(row);
                if (problem != null) {
                    xml.append(" problem=\"");
                    escape(xml, problem);
                    xml.append("\"/>");
                    continue;
                }
                xml.append('>');
                for (int i = 0; i < header.size(); i++) {
                    String value = row.fields().get(i);
                    if (!value.isBlank()) {
                        xml.append("<Cell name=\"");
                        escape(xml, header.get(i));
                        xml.append("\">");
                        escape(xml, value);
                        xml.append("</Cell>");
                    }
                }
                xml.append("</Row>");
            }
            return xml.append("</CsvOrder>").toString();
        }

        private String problem(CsvRecords.Record row) {
            if (row.problem() != null) {
                return row.problem();
            }
            if (row.fields().size() != header.size()) {
                return "it has " + row.fields().size() + " fields where the header has " + header.size();
            }
            return row.fields().stream().anyMatch(f -> f.indexOf('\ufffd') >= 0) ? "it is not UTF-8 text" : null;
        }

        private CsvRecords.Record read() throws IOException {
            return csv.next();
        }

        private void close() {
            if (!closed) {
                closed = true;
                try {
                    reader.close();
                } catch (IOException ignored) {
                    // read-only: nothing is lost
                }
            }
        }
    }

    /** XML text and attribute escaping; characters XML 1.0 cannot carry become U+FFFD. */
    static void escape(StringBuilder xml, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> xml.append("&amp;");
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '"' -> xml.append("&quot;");
                case '\n', '\t' -> xml.append("&#").append((int) c).append(';');
                case '\r' -> xml.append("&#13;");
                default -> xml.append(c < 0x20 || c == 0xfffe || c == 0xffff ? '\ufffd' : c);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** The file's content: the copy in the local work directory (large files never sit in memory), or the body. */
    static InputStream open(Exchange exchange) throws IOException {
        String local = exchange.getMessage().getHeader(Exchange.FILE_LOCAL_WORK_PATH, String.class);
        if (local != null) {
            return Files.newInputStream(Path.of(local));
        }
        try {
            return exchange.getMessage().getMandatoryBody(InputStream.class);
        } catch (org.apache.camel.InvalidPayloadException e) {
            throw new IOException("the file has no content to read", e);
        }
    }

    /** A file that is read whole (one XML order, one EDI interchange, one answer), within its size limit. */
    byte[] readAll(Exchange exchange) throws IOException {
        try (InputStream content = open(exchange)) {
            byte[] bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxXmlFileBytes() + 1));
            if (bytes.length > config.maxXmlFileBytes()) {
                throw new UnreadableFileException("the file is larger than the limit of " + config.maxXmlFileBytes()
                        + " bytes for a file read whole");
            }
            return bytes;
        }
    }

    private static String in(Exchange exchange, String header) {
        return exchange.getMessage().getHeader(header, String.class);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Feeds a digest, keeps nothing. */
    private static final class DigestOutput extends java.io.OutputStream {
        private final MessageDigest digest;

        DigestOutput(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void write(int b) {
            digest.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }
    }

    /** Transaction ids named by an answer file: in its name, or in its first 64 KiB. */
    static List<String> transactionIdsIn(String fileName, byte[] content) {
        List<String> ids = new ArrayList<>();
        var m = UUID_IN_TEXT.matcher(fileName == null ? "" : fileName.toLowerCase(java.util.Locale.ROOT));
        while (m.find()) {
            ids.add(m.group());
        }
        m = UUID_IN_TEXT.matcher(new String(content, 0, Math.min(content.length, 65536), StandardCharsets.ISO_8859_1)
                .toLowerCase(java.util.Locale.ROOT));
        while (m.find()) {
            if (!ids.contains(m.group())) {
                ids.add(m.group());
            }
        }
        return ids;
    }
}
