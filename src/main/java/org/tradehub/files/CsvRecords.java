package org.tradehub.files;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV (RFC 4180: quoted fields may hold commas, quotes written twice, and line breaks) one record at a time,
 * so a file of any size is read in constant memory, and tells the physical lines each record spans: a rejection
 * must name the line a person sees in a text editor. A record longer than {@code maxRecordChars} is refused instead
 * of filling the memory.
 */
final class CsvRecords {

    /** One record: its fields, its first and last physical line, and what is wrong with its syntax (or null). */
    record Record(List<String> fields, int firstLine, int lastLine, String problem) {}

    private final Reader in;
    private final int maxRecordChars;
    private int line = 1;
    private int pushedBack = -2;

    CsvRecords(Reader in, int maxRecordChars) {
        this.in = in;
        this.maxRecordChars = maxRecordChars;
    }

    /** The next record, or null at the end. Blank lines are skipped. */
    Record next() throws IOException {
        int c = read();
        while (c == '\r' || c == '\n') {
            c = newline(c);
        }
        if (c == -1) {
            return null;
        }
        int first = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int chars = 0;
        String problem = null;
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (++chars > maxRecordChars && problem == null) {
                problem = "the record is longer than " + maxRecordChars + " characters";
            }
            if (quoted) {
                if (c == -1) {
                    problem = "a quoted field opened on line " + first + " is never closed";
                    fields.add(field.toString());
                    return new Record(fields, first, line, problem);
                }
                if (c == '"') {
                    int n = read();
                    if (n == '"') {
                        append(field, '"', problem);
                    } else {
                        quoted = false;
                        c = n;
                        continue;
                    }
                } else {
                    if (c == '\n' || c == '\r') {
                        c = newline(c);
                        append(field, '\n', problem);
                        continue;
                    }
                    append(field, (char) c, problem);
                }
                c = read();
                continue;
            }
            if (c == -1 || c == '\n' || c == '\r') {
                fields.add(field.toString());
                int last = line;
                if (c != -1) {
                    pushedBack = newline(c); // the first character of the next record
                }
                return new Record(fields, first, last, problem);
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else {
                if (c == '"' && problem == null) {
                    problem = "a quote appears inside an unquoted field";
                }
                append(field, (char) c, problem);
            }
            c = read();
        }
    }

    private static void append(StringBuilder field, char c, String problem) {
        if (problem == null) {
            field.append(c);
        }
    }

    /** Consumes a line break (CR, LF or CRLF) whose first character was c; returns the next character. */
    private int newline(int c) throws IOException {
        line++;
        int n = read();
        if (c == '\r' && n == '\n') {
            return read();
        }
        return n;
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        return in.read();
    }
}
