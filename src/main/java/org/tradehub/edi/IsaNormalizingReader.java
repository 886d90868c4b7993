package org.tradehub.edi;

import java.io.IOException;
import java.io.Reader;

/**
 * Rewrites the X12 ISA segment to its fixed 106-character layout, then passes everything else through.
 *
 * Why: StAEDI (like most X12 parsers) finds the delimiters at fixed offsets of the ISA, but partners send ISAs
 * whose fields are not padded, or are padded with NO-BREAK SPACEs. We split the ISA on its element separator
 * (character 4), trim each field (spaces and NBSP) and pad it back to the width X12 gives it. The segment terminator
 * is the character after ISA16. Only the ISA (at most a few hundred characters) is held in memory.
 */
final class IsaNormalizingReader extends Reader {

    /** Widths of ISA01..ISA16. */
    private static final int[] WIDTHS = {2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1};
    /** Give up on an "ISA" longer than this: it is not one, let the parser report it. */
    private static final int MAX_ISA = 512;

    private final Reader in;
    private String header;
    private int headerPos;

    IsaNormalizingReader(Reader in) {
        this.in = in;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (header == null) {
            header = normalizedHeader();
        }
        if (headerPos < header.length()) {
            int n = Math.min(len, header.length() - headerPos);
            header.getChars(headerPos, headerPos + n, cbuf, off);
            headerPos += n;
            return n;
        }
        return in.read(cbuf, off, len);
    }

    private String normalizedHeader() throws IOException {
        StringBuilder raw = new StringBuilder(128);
        int separators = 0;
        char elementSep = 0;
        int c;
        // Read "ISA" + separator, then up to the 16th separator, then ISA16 and the segment terminator.
        while (raw.length() < MAX_ISA && (c = in.read()) >= 0) {
            raw.append((char) c);
            if (raw.length() == 4) {
                elementSep = (char) c;
                separators = 1;
            } else if (raw.length() > 4 && c == elementSep) {
                separators++;
                if (separators == 16) {
                    int isa16 = in.read();
                    int terminator = in.read();
                    if (isa16 < 0 || terminator < 0) {
                        return raw.toString() + (isa16 < 0 ? "" : String.valueOf((char) isa16));
                    }
                    return rebuild(raw.toString(), elementSep, (char) isa16, (char) terminator);
                }
            }
        }
        return raw.toString(); // not a complete ISA: leave it to the parser to report
    }

    private static String rebuild(String raw, char sep, char isa16, char terminator) {
        String[] fields = raw.substring(4).split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1);
        StringBuilder out = new StringBuilder(106).append("ISA");
        for (int i = 0; i < 15; i++) {
            String value = trim(i < fields.length ? fields[i] : "");
            int width = WIDTHS[i];
            if (i == 12 && value.length() < width && !value.isEmpty()) {
                value = "0".repeat(width - value.length()) + value; // ISA13 control number is N0 9
            }
            if (value.length() > width) {
                value = value.substring(0, width);
            }
            out.append(sep).append(value).append(" ".repeat(width - value.length()));
        }
        return out.append(sep).append(isa16).append(terminator).toString();
    }

    private static String trim(String s) {
        return s.replace('\u00A0', ' ').trim();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
