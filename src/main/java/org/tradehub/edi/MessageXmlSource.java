package org.tradehub.edi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.sf.saxon.event.Receiver;
import net.sf.saxon.event.ReceiverOption;
import net.sf.saxon.expr.parser.Loc;
import net.sf.saxon.lib.ActiveSource;
import net.sf.saxon.lib.ParseOptions;
import net.sf.saxon.om.AttributeInfo;
import net.sf.saxon.om.AttributeMap;
import net.sf.saxon.om.EmptyAttributeMap;
import net.sf.saxon.om.FingerprintedQName;
import net.sf.saxon.om.NamePool;
import net.sf.saxon.om.NamespaceMap;
import net.sf.saxon.om.NamespaceUri;
import net.sf.saxon.om.NodeName;
import net.sf.saxon.om.SmallAttributeMap;
import net.sf.saxon.str.StringTool;
import net.sf.saxon.str.UnicodeString;
import net.sf.saxon.trans.XPathException;
import net.sf.saxon.type.BuiltInAtomicType;
import net.sf.saxon.type.Untyped;
import org.tradehub.xml.XmlText;

/**
 * The XML that {@link MessageXml} writes, as a Source from which Saxon builds its tree directly: the intake stage maps
 * every EDI order from this small document, and a general XML parser (with the SAX layer between it and Saxon) took
 * longer than the template's own work on it.
 *
 * <p>It reads only the subset MessageXml writes: elements and attributes without namespaces, double-quoted values,
 * text, the predefined entities. A document with anything else (a declaration, DOCTYPE, comment, CDATA, character
 * reference, carriage return, characters outside the Basic Multilingual Plane, a well-formedness error ...) goes whole
 * to the hardened JDK parser ({@link XmlText}), so every document reads exactly as XML 1.0 says and
 * nothing is ever resolved. Nothing is delivered before the whole document has been read.
 */
final class MessageXmlSource implements ActiveSource {

    /** In the event list: the end of an element (a start is a NodeName followed by its AttributeMap). */
    private static final Object END = new Object();
    private static final char[] XMLNS = "xmlns".toCharArray();

    private final String xml;
    private String systemId;

    MessageXmlSource(String xml) {
        this.xml = xml;
    }

    @Override
    public void deliver(Receiver out, ParseOptions options) throws XPathException {
        NamePool pool = out.getPipelineConfiguration().getConfiguration().getNamePool();
        List<Object> events = new Reading(xml.toCharArray(), Names.of(pool)).events();
        if (events == null) {
            XmlText text = XmlText.source(xml);
            text.setSystemId(systemId);
            text.deliver(out, options);
            return;
        }
        out.open();
        out.startDocument(ReceiverOption.NONE);
        for (int i = 0; i < events.size(); i++) {
            Object e = events.get(i);
            if (e == END) {
                out.endElement();
            } else if (e instanceof UnicodeString text) {
                out.characters(text, Loc.NONE, ReceiverOption.NONE);
            } else {
                out.startElement((NodeName) e, Untyped.getInstance(), (AttributeMap) events.get(++i),
                        NamespaceMap.emptyMap(), Loc.NONE, ReceiverOption.NONE);
            }
        }
        out.endDocument();
        out.close();
    }

    @Override
    public void setSystemId(String systemId) {
        this.systemId = systemId;
    }

    @Override
    public String getSystemId() {
        return systemId;
    }

    /** How many element and attribute names are kept for documents built with this pool (for tests). */
    static int namesKept(NamePool pool) {
        return Names.of(pool).chars().length;
    }

    /** The XML itself, for logs and error messages that show the body. */
    @Override
    public String toString() {
        return xml;
    }

    /**
     * The names met so far (MessageXml writes a few dozen) with their codes in one NamePool (Saxon's, one per
     * Configuration): looking them up in the pool for every document cost more than the rest of the reading. Grown
     * copy-on-write; a race only loses an entry, which is then added again.
     * <p>
     * Kept for the last {@link #MOST_POOLS} pools: every xslt-saxon endpoint has a Configuration of its own, so the
     * EDIFACT and the X12 template read with different pools, and a hub taking both kinds of order in turn would
     * otherwise start each message's names afresh.
     *
     * @param slots hash table over the names: index + 1, 0 = free
     */
    private record Names(NamePool pool, char[][] chars, NodeName[] nodeNames, int[] slots) {
        static final int MOST_POOLS = 8;
        /** The names of each pool, the one grown last first. */
        private static volatile Names[] known = new Names[0];

        static Names of(NamePool pool) {
            for (Names names : known) {
                if (names.pool == pool) {
                    return names;
                }
            }
            return new Names(pool, new char[0][], new NodeName[0], new int[64]);
        }

        NodeName find(char[] s, int from, int to) {
            for (int h = hash(s, from, to) & (slots.length - 1); slots[h] != 0; h = (h + 1) & (slots.length - 1)) {
                char[] name = chars[slots[h] - 1];
                if (Arrays.equals(name, 0, name.length, s, from, to)) {
                    return nodeNames[slots[h] - 1];
                }
            }
            return null;
        }

        Names with(char[] s, int from, int to) {
            int n = chars.length;
            char[][] c = Arrays.copyOf(chars, n + 1);
            NodeName[] nn = Arrays.copyOf(nodeNames, n + 1);
            c[n] = Arrays.copyOfRange(s, from, to);
            nn[n] = new FingerprintedQName("", NamespaceUri.NULL, new String(c[n]), pool);
            int[] table = new int[Integer.highestOneBit(Math.max(64, n * 4))];
            for (int k = 0; k <= n; k++) {
                int h = hash(c[k], 0, c[k].length) & (table.length - 1);
                while (table[h] != 0) {
                    h = (h + 1) & (table.length - 1);
                }
                table[h] = k + 1;
            }
            Names grown = new Names(pool, c, nn, table);
            List<Names> pools = new ArrayList<>(MOST_POOLS);
            pools.add(grown);
            for (Names other : known) {
                if (other.pool != pool && pools.size() < MOST_POOLS) {
                    pools.add(other);
                }
            }
            known = pools.toArray(new Names[0]);
            return grown;
        }

        /** Over every character: the attribute names v2.1, v3.1, v5.1 ... differ in one character in the middle. */
        private static int hash(char[] s, int from, int to) {
            int h = 0;
            for (int i = from; i < to; i++) {
                h = h * 31 + s[i];
            }
            return h ^ (h >>> 7);
        }
    }

    /** One reading of one document into the events to deliver. */
    private static final class Reading {
        private final char[] s;
        private Names names;
        private final List<Object> events = new ArrayList<>(512);
        /** Start and end of the name of each open element. */
        private final int[] openFrom = new int[8];
        private final int[] openTo = new int[8];
        /**
         * Start and end of each attribute name of the current tag, to find a repeated one. A segment has one attribute
         * per value (a full NAD some 25); a tag with more than this goes to the JDK parser like anything unusual.
         */
        private final int[] attributeFrom = new int[128];
        private final int[] attributeTo = new int[128];
        /** Decoded text of the last value or text node read, in buffer[0, length). */
        private char[] buffer = new char[256];
        private int length;

        Reading(char[] s, Names names) {
            this.s = s;
            this.names = names;
        }

        /** @return the events, or null when the document is outside the subset */
        List<Object> events() {
            int n = s.length;
            int depth = 0;
            int i = 0;
            boolean rootSeen = false;
            while (i < n) {
                char c = s[i];
                if (depth == 0) {
                    // outside the root element: white space (not reported, as by any parser), the root, the end
                    if (c == ' ' || c == '\n' || c == '\t') {
                        i++;
                        continue;
                    }
                    if (c != '<' || rootSeen) {
                        return null;
                    }
                }
                if (c != '<') {
                    int end = i;
                    while (end < n && s[end] != '<') {
                        end++;
                    }
                    if (end == n || !text(i, end, false)) {
                        return null;
                    }
                    events.add(StringTool.compress(buffer, 0, length, false));
                    i = end;
                } else if (i + 1 < n && s[i + 1] == '/') {
                    int end = name(i + 2);
                    if (depth == 0 || end < 0 || end >= n || s[end] != '>'
                            || !Arrays.equals(s, openFrom[depth - 1], openTo[depth - 1], s, i + 2, end)) {
                        return null;
                    }
                    depth--;
                    events.add(END);
                    i = end + 1;
                } else {
                    int end = startTag(i, depth);
                    if (end < 0) {
                        return null;
                    }
                    rootSeen = true;
                    if (s[end - 2] == '/') { // an empty-element tag
                        events.add(END);
                    } else {
                        depth++;
                    }
                    i = end;
                }
            }
            return rootSeen && depth == 0 ? events : null;
        }

        /** Reads the start tag at i; returns the index after it, or -1 when it is outside the subset. */
        private int startTag(int i, int depth) {
            int n = s.length;
            int nameEnd = name(i + 1);
            if (nameEnd < 0 || depth == openFrom.length) {
                return -1;
            }
            openFrom[depth] = i + 1;
            openTo[depth] = nameEnd;
            List<AttributeInfo> attributes = new ArrayList<>(16);
            int j = nameEnd;
            while (j < n && s[j] == ' ') {
                int attrEnd = name(j + 1);
                if (attrEnd < 0 || attrEnd + 1 >= n || s[attrEnd] != '=' || s[attrEnd + 1] != '"'
                        || Arrays.equals(s, j + 1, Math.min(attrEnd, j + 6), XMLNS, 0, 5)
                        || attributes.size() == attributeFrom.length || repeated(attributes.size(), j + 1, attrEnd)) {
                    return -1;
                }
                attributeFrom[attributes.size()] = j + 1;
                attributeTo[attributes.size()] = attrEnd;
                int valueEnd = attrEnd + 2;
                while (valueEnd < n && s[valueEnd] != '"') {
                    valueEnd++;
                }
                if (valueEnd == n || !text(attrEnd + 2, valueEnd, true)) {
                    return -1;
                }
                attributes.add(new AttributeInfo(nodeName(j + 1, attrEnd), BuiltInAtomicType.UNTYPED_ATOMIC,
                        new String(buffer, 0, length), Loc.NONE, ReceiverOption.NONE));
                j = valueEnd + 1;
            }
            boolean empty = j + 1 < n && s[j] == '/' && s[j + 1] == '>';
            if (!empty && (j >= n || s[j] != '>')) {
                return -1;
            }
            events.add(nodeName(i + 1, nameEnd));
            // a list, whatever the number: Saxon's own choice above 8 attributes (a hash trie) costs more to build than
            // the few lookups by name a template makes on a segment save
            events.add(attributes.isEmpty() ? EmptyAttributeMap.getInstance() : new SmallAttributeMap(attributes));
            return j + (empty ? 2 : 1);
        }

        /** Whether the attribute name s[from, to) is one of the first count attributes of the tag. */
        private boolean repeated(int count, int from, int to) {
            for (int k = 0; k < count; k++) {
                if (Arrays.equals(s, attributeFrom[k], attributeTo[k], s, from, to)) {
                    return true;
                }
            }
            return false;
        }

        /** End of an ASCII name (letters, digits, '_', '-', '.'; no ':') starting at i, or -1. */
        private int name(int i) {
            int j = i;
            while (j < s.length) {
                char c = s[j];
                boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
                if (!(letter || j > i && (c >= '0' && c <= '9' || c == '-' || c == '.'))) {
                    break;
                }
                j++;
            }
            return j == i ? -1 : j;
        }

        private NodeName nodeName(int from, int to) {
            NodeName name = names.find(s, from, to);
            if (name == null) {
                names = names.with(s, from, to);
                name = names.find(s, from, to);
            }
            return name;
        }

        /**
         * Decodes s[from, to) into buffer[0, length). False for anything a parser would change or refuse: markup, an
         * entity other than the five predefined ones, a carriage return, a tab or line feed in an attribute value
         * (they are normalised), "]]&gt;" in text, characters XML 1.0 forbids, surrogates.
         */
        private boolean text(int from, int to, boolean attribute) {
            if (buffer.length < to - from) {
                buffer = new char[Math.max(to - from, buffer.length * 2)];
            }
            length = 0;
            for (int i = from; i < to; i++) {
                char c = s[i];
                if (c == '&') {
                    int semi = i + 1;
                    while (semi < to && s[semi] != ';' && semi - i < 6) {
                        semi++;
                    }
                    c = semi < to && s[semi] == ';' ? entity(i + 1, semi) : 0;
                    if (c == 0) {
                        return false;
                    }
                    i = semi;
                } else if (c < 0x20 ? attribute || c != '\t' && c != '\n'
                        : c == '<' || c >= 0xD800 && c < 0xE000 || c > 0xFFFD
                        || c == '>' && !attribute && i >= from + 2 && s[i - 1] == ']' && s[i - 2] == ']') {
                    return false;
                }
                buffer[length++] = c;
            }
            return true;
        }

        private char entity(int from, int to) {
            return switch (new String(s, from, to - from)) {
                case "lt" -> '<';
                case "gt" -> '>';
                case "amp" -> '&';
                case "quot" -> '"';
                case "apos" -> '\'';
                default -> 0;
            };
        }
    }
}
