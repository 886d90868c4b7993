package org.tradehub.edi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a resend of an interchange is recognised by (with the partner and the control number): the SHA-256 of its
 * segments as the partner sent them, UNB..UNZ or ISA..IEA, written out in one fixed syntax, UTF-8: one segment per
 * line ending in {@code '}, the tag, then data elements after {@code +}, components after {@code :}, repetitions
 * after {@code *}; {@code ?} releases any of these five in a value; positions after the last value of a segment, an
 * element or a repetition are left out; UNA is left out (it only names the separators).
 *
 * <p>So the key depends on the partner's data only: not on its separators, release character, line breaks or
 * trailing empty positions (a resend through another translator or channel may change those), and not on anything
 * the hub makes of the interchange (its message XML, envelope record or error texts), which an upgrade may change:
 * the message XML did (positional message XML), and with the earlier key, built from it, an interchange received
 * before that upgrade and resent after it was recorded twice. (X12 names its separators in ISA11 and ISA16: there
 * they are data of the ISA segment, and part of the key.) Keys are stored (edi_interchange.content_sha256): this
 * form must not change, or resends of everything received before no longer match. InterchangeKeyTest pins it.
 */
final class InterchangeKey {

    private final MessageDigest sha256;
    private final StringBuilder line = new StringBuilder(256);

    InterchangeKey() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java runtime has SHA-256
        }
    }

    /** Adds one segment as read: its data element occurrences in stream order. */
    void segment(String tag, List<EdiReader.Element> elements) {
        if ("UNA".equals(tag)) {
            return;
        }
        line.setLength(0);
        line.append(tag);
        int position = 0; // of the last element written
        int occurrence = 1;
        for (EdiReader.Element e : elements) {
            int mark = line.length();
            boolean samePosition = e.pos == position;
            repeat('+', e.pos - position);
            repeat('*', e.rep - (samePosition ? occurrence : 1));
            if (components(e)) {
                position = e.pos;
                occurrence = e.rep;
            } else {
                line.setLength(mark); // empty: its position is written only if a later value needs it
            }
        }
        line.append("'\n");
        sha256.update(line.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Appends the element's components up to the last with a value; false when it has none. */
    private boolean components(EdiReader.Element e) {
        List<String> values = e.components();
        int written = 1;
        boolean any = false;
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null || v.isEmpty()) {
                continue;
            }
            repeat(':', i + 1 - written);
            written = i + 1;
            for (int c = 0; c < v.length(); c++) {
                char ch = v.charAt(c);
                if (ch == '+' || ch == ':' || ch == '*' || ch == '?' || ch == '\'') {
                    line.append('?');
                }
                line.append(ch);
            }
            any = true;
        }
        return any;
    }

    private void repeat(char separator, int times) {
        for (int i = 0; i < times; i++) {
            line.append(separator);
        }
    }

    /** The key of the segments added so far, as 64 hex digits; the key starts again empty. */
    String sha256() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
