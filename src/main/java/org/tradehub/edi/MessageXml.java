package org.tradehub.edi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.transform.Source;
import net.sf.saxon.value.Whitespace;
import org.tradehub.xml.SafeXml;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Writes the per-message XML described in {@link EdiReader}, and hands it to a template ({@link #source}). Plain
 * string building: it is the hot path.
 */
public final class MessageXml {

    private MessageXml() {
    }

    /** The message XML as a Source for Saxon, which builds its tree from it directly ({@link MessageXmlSource}). */
    public static Source source(String xml) {
        return new MessageXmlSource(positional(xml));
    }

    /**
     * The message XML in the shape EdiReader writes (each segment's values as attributes, see {@link EdiReader}).
     * Message XML written before that shape is still kept for replay and may still be queued; its three earlier shapes
     * are rewritten here, so the templates only ever read one: values as elements and components, every position
     * written (the third; the second also had no qualifier attribute), or named by a pos attribute with empty ones
     * left out and repetitions as elements with rep="2" (the first). Anything else is returned as it is.
     */
    public static String positional(String xml) {
        int body = xml.indexOf("<segment ");
        if (body < 0 || xml.indexOf("<element", body) < 0 && xml.indexOf("<repetition", body) < 0) {
            return xml;
        }
        Element message = SafeXml.parse(xml.getBytes(StandardCharsets.UTF_8), SafeXml.DEFAULT_MAX_BYTES)
                .getDocumentElement();
        StringBuilder out = new StringBuilder(xml.length()).append(xml, 0, body);
        for (Element segment : SafeXml.children(message, "segment")) {
            List<EdiReader.Element> elements = new ArrayList<>();
            int counted = 0; // the later element shapes' positions, found by counting
            for (Node n = segment.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof Element e)) {
                    continue;
                }
                boolean repetition = "repetition".equals(e.getLocalName()) || e.hasAttribute("rep");
                if (!repetition) {
                    counted++;
                }
                List<Element> components = SafeXml.children(e, "component");
                EdiReader.Element element = new EdiReader.Element(
                        e.hasAttribute("pos") ? Integer.parseInt(e.getAttribute("pos")) : counted,
                        repetition ? Integer.parseInt(e.getAttribute("rep")) : 1);
                if (components.isEmpty()) {
                    element.add(1, e.getTextContent());
                }
                for (int c = 0; c < components.size(); c++) {
                    Element component = components.get(c);
                    element.add(component.hasAttribute("pos") ? Integer.parseInt(component.getAttribute("pos")) : c + 1,
                            component.getTextContent());
                }
                elements.add(element);
            }
            segment(out, segment.getAttribute("tag"), Integer.parseInt(segment.getAttribute("pos")), elements);
        }
        return out.append("</message>\n").toString();
    }

    /**
     * One segment: its tag, its position in the message, its qualifier (what edi:v(., 1, 1) gives) and each value as
     * an attribute {@code v<element>.<component>} (a simple element is component 1; repetitions 2+ of an element
     * {@code v<element>.<component>.r<repetition>}), whitespace normalized as XPath's normalize-space does, empty ones
     * left out. A template reads NAD element 2 component 3 as {@code $nad/@v2.3}: an attribute looked up by its name,
     * where counting child elements and calling a function for each value was most of the mapping's cost.
     */
    static void segment(StringBuilder out, String tag, int pos, List<EdiReader.Element> elements) {
        out.append("<segment tag=\"");
        escape(out, tag);
        out.append("\" pos=\"").append(pos).append('"');
        String qualifier = qualifier(elements);
        if (qualifier != null) {
            out.append(" qualifier=\"");
            escape(out, qualifier);
            out.append('"');
        }
        int written = 0;
        for (EdiReader.Element e : elements) {
            if (e.rep == 1) {
                if (e.pos <= written) {
                    continue; // a position reported twice (StAEDI does not) is written once
                }
                written = e.pos;
            }
            List<String> components = e.components();
            for (int c = 1; c <= components.size(); c++) {
                String v = components.get(c - 1);
                if (v == null || v.isEmpty() || (v = normalizeSpace(v)) == null) {
                    continue;
                }
                out.append(" v").append(e.pos).append('.').append(c);
                if (e.rep > 1) {
                    out.append(".r").append(e.rep);
                }
                out.append("=\"");
                escape(out, v);
                out.append('"');
            }
        }
        out.append("/>\n");
    }

    /**
     * The segment's first value (data element 1, component 1) as the templates' edi:v reads it, whitespace normalized
     * (XPath's normalize-space), or null when empty: in most segments the qualifier that says what the segment is
     * about.
     */
    static String qualifier(List<EdiReader.Element> elements) {
        for (EdiReader.Element e : elements) {
            if (e.pos == 1 && e.rep == 1) {
                String v = e.component(1);
                return v == null ? null : normalizeSpace(v);
            }
        }
        return null;
    }

    /**
     * XPath's normalize-space, by Saxon's own code, which edi:v's normalize-space runs (the value itself when there is
     * nothing to change); null when nothing is left.
     */
    static String normalizeSpace(String s) {
        String normalized = Whitespace.collapseWhitespace(s);
        return normalized.isEmpty() ? null : normalized;
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
