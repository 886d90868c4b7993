package org.tradehub.edi;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Looks at the first bytes of an interchange (without consuming more than it needs) to learn the standard and the
 * character set, and turns the byte stream into a stream StAEDI can decode without failing.
 *
 * Why re-encode: StAEDI decodes with one charset chosen before parsing and fails hard on a malformed byte. We pick
 * the charset from the UNB syntax identifier (UNOC = Latin-1, UNOD = Latin-2, UNOE = Cyrillic ...), decode leniently
 * (a bad byte becomes U+FFFD instead of ending the interchange) and hand StAEDI plain UTF-8. It also lets us repair
 * X12 ISA headers that are not 106 characters ({@link IsaNormalizingReader}). An EDIFACT interchange in Latin-1
 * (UNOA, UNOB, UNOC: most of them) goes to StAEDI as it is: every byte is a Latin-1 character, so nothing can be
 * malformed, and decoding and re-encoding it would only cost time.
 */
final class EdiInput {

    static final String EDIFACT = "EDIFACT";
    static final String X12 = "X12";

    /** Longest prefix we inspect: UNA + UNB up to the syntax identifier, or an ISA, fit easily. */
    private static final int SNIFF = 4096;

    /**
     * UN/EDIFACT syntax identifiers (ISO 9735 0001) and the character repertoire each one names.
     * UNOA/UNOB are subsets of ISO 646; they are decoded as Latin-1 so a stray 8-bit byte survives instead of
     * failing. UNOW is UTF-8; UNOY (ISO 10646 without code extension) is sent as UTF-8 in practice.
     */
    private static final Map<String, Charset> SYNTAX_CHARSETS = Map.ofEntries(
            Map.entry("UNOA", StandardCharsets.ISO_8859_1),
            Map.entry("UNOB", StandardCharsets.ISO_8859_1),
            Map.entry("UNOC", StandardCharsets.ISO_8859_1),
            Map.entry("UNOD", Charset.forName("ISO-8859-2")),
            Map.entry("UNOE", Charset.forName("ISO-8859-5")),
            Map.entry("UNOF", Charset.forName("ISO-8859-7")),
            Map.entry("UNOG", Charset.forName("ISO-8859-3")),
            Map.entry("UNOH", Charset.forName("ISO-8859-4")),
            Map.entry("UNOI", Charset.forName("ISO-8859-6")),
            Map.entry("UNOJ", Charset.forName("ISO-8859-8")),
            Map.entry("UNOK", Charset.forName("ISO-8859-9")),
            Map.entry("UNOL", Charset.forName("ISO-8859-15")),
            Map.entry("UNOW", StandardCharsets.UTF_8),
            Map.entry("UNOY", StandardCharsets.UTF_8));

    /** What the sniffing found, and the stream to parse, in streamCharset. */
    record Prepared(String standard, String syntaxIdentifier, Charset charset, boolean charsetKnown,
                    InputStream stream, Charset streamCharset) {
    }

    private EdiInput() {
    }

    /** @return null standard when the input is neither EDIFACT nor X12 (garbage or empty) */
    static Prepared prepare(InputStream raw) throws IOException {
        BufferedInputStream in = new ByteReadStream(raw, 16 * 1024);
        in.mark(SNIFF);
        byte[] head = in.readNBytes(SNIFF);
        in.reset();

        int start = 0;
        boolean bom = head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB
                && (head[2] & 0xFF) == 0xBF;
        if (bom) {
            start = 3;
        }
        while (start < head.length && isBlank(head[start])) {
            start++;
        }
        in.skipNBytes(start);

        String standard = null;
        String syntaxId = null;
        Charset charset = StandardCharsets.UTF_8;
        boolean known = true;
        if (startsWith(head, start, "UNA") || startsWith(head, start, "UNB")) {
            standard = EDIFACT;
            syntaxId = syntaxIdentifier(head, start);
            Charset declared = syntaxId == null ? null : SYNTAX_CHARSETS.get(syntaxId.toUpperCase(Locale.ROOT));
            known = declared != null;
            // A UTF-8 BOM is the writer's own statement about the bytes: it wins over a UNB that says UNOC.
            charset = bom ? StandardCharsets.UTF_8 : (declared != null ? declared : StandardCharsets.ISO_8859_1);
        } else if (startsWith(head, start, "ISA")) {
            standard = X12;
        }

        if (EDIFACT.equals(standard) && charset.equals(StandardCharsets.ISO_8859_1)) {
            return new Prepared(standard, syntaxId, charset, known, in, charset);
        }
        Reader chars = new InputStreamReader(in, lenient(charset));
        if (X12.equals(standard)) {
            chars = new IsaNormalizingReader(chars);
        }
        // with mark support, so that StAEDI reads it as it is instead of through a BufferedInputStream of its own
        return new Prepared(standard, syntaxId, charset, known, new ByteReadStream(new Utf8InputStream(chars), 8 * 1024),
                StandardCharsets.UTF_8);
    }

    private static CharsetDecoder lenient(Charset charset) {
        return charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static boolean startsWith(byte[] b, int at, String s) {
        if (b.length - at < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** UNB S001/0001 (e.g. UNOC), read with the separators of the UNA when there is one. */
    static String syntaxIdentifier(byte[] b, int start) {
        char component = ':';
        char element = '+';
        int pos = start;
        if (startsWith(b, start, "UNA")) {
            if (b.length - start < 9) {
                return null;
            }
            component = (char) (b[start + 3] & 0xFF);
            element = (char) (b[start + 4] & 0xFF);
            pos = start + 9;
            while (pos < b.length && (isBlank(b[pos]))) {
                pos++;
            }
        }
        if (!startsWith(b, pos, "UNB") || pos + 4 >= b.length) {
            return null;
        }
        StringBuilder id = new StringBuilder();
        for (int i = pos + 4; i < b.length; i++) {
            char c = (char) (b[i] & 0xFF);
            if (c == component || c == element) {
                break;
            }
            id.append(c);
            if (id.length() > 8) {
                return null;
            }
        }
        return id.toString();
    }
}
