package org.tradehub.as2;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;

/**
 * A MIME entity kept as the exact bytes it arrived as. AS2 signatures and MICs are computed over bytes, so the hub
 * never lets a MIME library re-serialise a part it verifies (Jakarta Mail's data handlers re-encode text and XML
 * parts, which breaks signatures made over binary content).
 *
 * @param raw         the whole entity: header block, blank line, body (for an HTTP body: the body alone)
 * @param contentType its Content-Type
 * @param encoding    its Content-Transfer-Encoding (lower case, null when absent)
 * @param body        the body as transferred (still encoded)
 */
record MimeEntity(byte[] raw, String contentType, String encoding, byte[] body) {

    static final Pattern LINE_END = Pattern.compile("\r?\n");
    private static final Pattern FOLD = Pattern.compile("\r?\n[ \t]+");

    /** An HTTP body with the Content-Type (and Content-Transfer-Encoding, if any) from the HTTP headers. */
    static MimeEntity ofHttp(String contentType, String encoding, byte[] body) {
        return new MimeEntity(body, contentType, lower(encoding), body);
    }

    /** A MIME entity with its own header block (a part of a multipart, a decrypted or decompressed entity). */
    static MimeEntity parse(byte[] raw) throws MessagingException {
        int split = headerEnd(raw);
        if (split < 0) {
            throw new ParseException("MIME entity without a header block");
        }
        // read here rather than with Jakarta Mail's InternetHeaders: that looks its StreamProvider up through the
        // ServiceLoader on every call, which in the packaged hub (nested jars) was a class-path scan per MIME part
        String block = new String(raw, 0, split, StandardCharsets.ISO_8859_1);
        int bodyStart = split + (raw[split] == '\r' ? 2 : 1);
        byte[] body = java.util.Arrays.copyOfRange(raw, Math.min(bodyStart, raw.length), raw.length);
        String type = header(block, "Content-Type");
        return new MimeEntity(raw, type == null ? "text/plain" : unfold(type),
                lower(header(block, "Content-Transfer-Encoding")), body);
    }

    /** The first header of that name in a header block (folded lines joined), or null. */
    static String header(String block, String name) {
        String[] lines = LINE_END.split(block);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                StringBuilder value = new StringBuilder(line.substring(colon + 1).trim());
                while (i + 1 < lines.length && !lines[i + 1].isEmpty()
                        && (lines[i + 1].charAt(0) == ' ' || lines[i + 1].charAt(0) == '\t')) {
                    value.append(' ').append(lines[++i].trim());
                }
                return value.toString();
            }
        }
        return null;
    }

    /** Builds an entity from a header block and a body, with CRLF line ends as the wire wants. */
    static MimeEntity build(String contentType, String encoding, String extraHeaders, byte[] body) {
        StringBuilder h = new StringBuilder("Content-Type: ").append(contentType).append("\r\n");
        if (encoding != null) {
            h.append("Content-Transfer-Encoding: ").append(encoding).append("\r\n");
        }
        if (extraHeaders != null) {
            h.append(extraHeaders);
        }
        h.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(h.length() + body.length);
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return new MimeEntity(out.toByteArray(), contentType, lower(encoding), body);
    }

    ContentType type() throws ParseException {
        return new ContentType(contentType);
    }

    boolean is(String baseType) {
        try {
            return type().match(baseType);
        } catch (ParseException e) {
            return false;
        }
    }

    /** The body with its transfer encoding undone (base64 and quoted-printable; binary, 8bit, 7bit as they are). */
    byte[] decodedBody() throws MessagingException {
        if ("base64".equals(encoding)) {
            return Base64.getMimeDecoder().decode(body);
        }
        if ("quoted-printable".equals(encoding)) {
            try (var in = jakarta.mail.internet.MimeUtility.decode(new ByteArrayInputStream(body), encoding)) {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new MessagingException("bad quoted-printable body", e);
            }
        }
        return body;
    }

    /** The raw parts of a multipart body, split on its boundary (preamble and epilogue dropped). */
    List<byte[]> parts() throws MessagingException {
        String boundary = type().getParameter("boundary");
        if (boundary == null) {
            throw new ParseException("multipart without a boundary");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<byte[]> parts = new ArrayList<>();
        int pos = indexOfLineStart(body, delimiter, 0);
        while (pos >= 0) {
            int after = pos + delimiter.length;
            if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') {
                return parts;
            }
            int start = lineEnd(body, after);
            int next = indexOfLineStart(body, delimiter, start);
            if (next < 0) {
                throw new ParseException("multipart without its closing boundary");
            }
            int end = next;
            // the CRLF before a delimiter belongs to the delimiter (RFC 2046 5.1.1)
            if (end > start && body[end - 1] == '\n') {
                end--;
                if (end > start && body[end - 1] == '\r') {
                    end--;
                }
            }
            parts.add(java.util.Arrays.copyOfRange(body, start, end));
            pos = next;
        }
        throw new ParseException("multipart without a boundary line '--" + boundary + "'; starts: "
                + new String(body, 0, Math.min(body.length, 120), StandardCharsets.ISO_8859_1));
    }

    private static int indexOfLineStart(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = from; i <= data.length - needle.length; i++) {
            if (i > 0 && data[i - 1] != '\n') {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int lineEnd(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == '\n') {
                return i + 1;
            }
        }
        return data.length;
    }

    private static int headerEnd(byte[] raw) {
        if (raw.length > 0 && (raw[0] == '\n' || raw[0] == '\r')) {
            return 0;
        }
        for (int i = 0; i + 1 < raw.length; i++) {
            if (raw[i] == '\n' && raw[i + 1] == '\n') {
                return i + 1;
            }
            if (i + 3 < raw.length && raw[i] == '\r' && raw[i + 1] == '\n' && raw[i + 2] == '\r' && raw[i + 3] == '\n') {
                return i + 2;
            }
        }
        return -1;
    }

    static String unfold(String header) {
        return FOLD.matcher(header).replaceAll(" ").trim();
    }

    private static String lower(String s) {
        return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
    }
}
