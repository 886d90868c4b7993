package org.tradehub.edi;

import java.util.List;
import javax.xml.transform.Source;

/**
 * Writes the per-message XML described in {@link EdiReader}, and hands it to a template ({@link #source}). Plain
 * string building: it is the hot path.
 */
public final class MessageXml {

    private MessageXml() {
    }

    /** The message XML as a Source for Saxon, which builds its tree from it directly ({@link MessageXmlSource}). */
    public static Source source(String xml) {
        return new MessageXmlSource(xml);
    }

    static void segment(StringBuilder out, String tag, int pos, List<EdiReader.Element> elements) {
        out.append("<segment tag=\"");
        escape(out, tag);
        out.append("\" pos=\"").append(pos).append("\">");
        for (EdiReader.Element e : elements) {
            if (isEmpty(e)) {
                continue; // empty elements carry nothing and would only make the templates test for ''
            }
            out.append("<element pos=\"").append(e.pos).append('"');
            if (e.rep > 1) {
                out.append(" rep=\"").append(e.rep).append('"');
            }
            out.append('>');
            if (e.composite) {
                List<String> components = e.components();
                for (int i = 0; i < components.size(); i++) {
                    String v = components.get(i);
                    if (v != null && !v.isEmpty()) {
                        out.append("<component pos=\"").append(i + 1).append("\">");
                        escape(out, v);
                        out.append("</component>");
                    }
                }
            } else {
                escape(out, e.component(1));
            }
            out.append("</element>");
        }
        out.append("</segment>\n");
    }

    private static boolean isEmpty(EdiReader.Element e) {
        for (String v : e.components()) {
            if (v != null && !v.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** @param header type, version, release, agency, association, controlRef */
    static String message(String standard, String[] header, String groupRef, EdiEnvelope env, int index,
                          StringBuilder body) {
        StringBuilder out = new StringBuilder(body.length() + 512);
        out.append("<message");
        attr(out, "standard", standard);
        attr(out, "type", header[0]);
        attr(out, "version", header[1]);
        attr(out, "release", header[2]);
        attr(out, "agency", header[3]);
        attr(out, "association", header[4]);
        attr(out, "controlRef", header[5]);
        attr(out, "groupControlRef", groupRef);
        if (env != null) {
            attr(out, "interchangeControlRef", env.controlRef());
            attr(out, "sender", env.senderId());
            attr(out, "senderQualifier", env.senderQualifier());
            attr(out, "receiver", env.receiverId());
            attr(out, "receiverQualifier", env.receiverQualifier());
            attr(out, "interchangeDate", env.date());
            attr(out, "interchangeTime", env.time());
            attr(out, "syntax", env.syntaxIdentifier());
            attr(out, "syntaxVersion", env.syntaxVersion());
            attr(out, "decimalMark", String.valueOf(env.decimalMark()));
        }
        attr(out, "index", String.valueOf(index));
        out.append(">\n").append(body).append("</message>\n");
        return out.toString();
    }

    private static void attr(StringBuilder out, String name, String value) {
        if (value != null && !value.isEmpty()) {
            out.append(' ').append(name).append("=\"");
            escape(out, value);
            out.append('"');
        }
    }

    /** XML-escapes, and replaces characters XML 1.0 cannot carry (C0 controls) with U+FFFD. */
    static void escape(StringBuilder out, String s) {
        int plain = 0;
        while (plain < s.length() && isPlain(s.charAt(plain))) {
            plain++;
        }
        // most values need no escaping: appended whole, not character by character
        out.append(s, 0, plain);
        for (int i = plain; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    /** A character escape() writes as it is. */
    private static boolean isPlain(char c) {
        return c >= 0x20 ? c != '<' && c != '>' && c != '&' && c != '"' && c < 0xFFFE
                : c == '\t' || c == '\n' || c == '\r';
    }
}
