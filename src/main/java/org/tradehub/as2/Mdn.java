package org.tradehub.as2;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import org.tradehub.ledger.Ids;

/**
 * Message Disposition Notifications (RFC 3798 as profiled by RFC 4130 section 7): the multipart/report the hub
 * answers with, and the reading of a partner's MDN.
 */
final class Mdn {

    private static final Pattern NOT_ASCII = Pattern.compile("[^\\x20-\\x7E\\r\\n]");

    private Mdn() {
    }

    /** "processed" or "processed/error: modifier". */
    static String disposition(String errorModifier) {
        return "automatic-action/MDN-sent-automatically; processed" + (errorModifier == null ? "" : "/error: " + errorModifier);
    }

    /** The multipart/report entity (with its own Content-Type header, so it can be signed as it is). */
    static MimeEntity report(String ourAs2Id, String originalMessageId, String disposition, String mic, String text) {
        String boundary = "----=_Report_" + Ids.random();
        StringBuilder fields = new StringBuilder()
                .append("Reporting-UA: trade-hub\r\n")
                .append("Original-Recipient: rfc822; ").append(ourAs2Id).append("\r\n")
                .append("Final-Recipient: rfc822; ").append(ourAs2Id).append("\r\n")
                .append("Original-Message-ID: ").append(originalMessageId).append("\r\n")
                .append("Disposition: ").append(disposition).append("\r\n");
        if (mic != null) {
            fields.append("Received-Content-MIC: ").append(mic).append("\r\n");
        }
        String body = "--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                + ascii(text) + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: message/disposition-notification\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                + fields + "\r\n"
                + "--" + boundary + "--\r\n";
        return MimeEntity.build("multipart/report; report-type=disposition-notification; boundary=\"" + boundary + "\"",
                null, null, body.getBytes(StandardCharsets.US_ASCII));
    }

    private static String ascii(String text) {
        return MimeEntity.LINE_END.matcher(NOT_ASCII.matcher(text).replaceAll("?")).replaceAll("\r\n");
    }

    /** What a partner's MDN says (fields of its message/disposition-notification part; names in lower case). */
    record Notice(Map<String, String> fields, String text) {

        String originalMessageId() {
            return fields.get("original-message-id");
        }

        String disposition() {
            return fields.getOrDefault("disposition", "");
        }

        String mic() {
            return fields.get("received-content-mic");
        }

        /** processed without an error or failure modifier (warnings are still success, RFC 4130 7.4.3). */
        boolean positive() {
            String d = disposition().toLowerCase(Locale.ROOT);
            int semi = d.indexOf(';');
            String type = semi < 0 ? d : d.substring(semi + 1).trim();
            return type.startsWith("processed") && !type.contains("/error") && !type.contains("/failure");
        }
    }

    /** Reads an unsigned multipart/report (the caller has checked any signature around it). */
    static Notice read(MimeEntity report) throws MessagingException {
        if (!report.is("multipart/report")) {
            throw new MessagingException("not an MDN: " + report.contentType());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        for (byte[] raw : report.parts()) {
            MimeEntity part = MimeEntity.parse(raw);
            String content = new String(part.decodedBody(), StandardCharsets.US_ASCII);
            if (part.is("message/disposition-notification")) {
                for (String line : MimeEntity.LINE_END.split(MimeEntity.unfold(content))) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        fields.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                line.substring(colon + 1).trim());
                    }
                }
            } else if (part.is("text/plain")) {
                text.append(content.trim());
            }
        }
        if (!fields.containsKey("disposition")) {
            throw new MessagingException("MDN without a Disposition field");
        }
        return new Notice(fields, text.toString());
    }
}
