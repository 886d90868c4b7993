package org.tradehub.edi;

/**
 * Writes EDI segments with the standard separators: UN/EDIFACT {@code UNA:+.? '} (values released with '?') and
 * (the space in the UNA's repetition position: no repetition separator, so '*' is data in every syntax version), and
 * X12 {@code * > ~} (X12 has no release character: a separator inside a value becomes a space). Trailing empty
 * elements and components are left out, as both standards require. One segment per call; no line breaks, since
 * strict partners count them as data.
 */
final class EdiText {

    private final boolean edifact;
    private final char component;
    private final char element;
    private final char segment;
    private final StringBuilder out = new StringBuilder(512);
    private int segments;

    private EdiText(boolean edifact, char component, char element, char segment) {
        this.edifact = edifact;
        this.component = component;
        this.element = element;
        this.segment = segment;
    }

    static EdiText edifact() {
        EdiText t = new EdiText(true, ':', '+', '\'');
        t.out.append("UNA:+.? '");
        return t;
    }

    static EdiText x12() {
        return new EdiText(false, '>', '*', '~');
    }

    /**
     * Appends a segment. Each element is a String (simple element), a String[] (composite: its components) or
     * null (empty).
     */
    EdiText seg(String tag, Object... elements) {
        int last = elements.length - 1;
        while (last >= 0 && isEmpty(elements[last])) {
            last--;
        }
        out.append(tag);
        for (int i = 0; i <= last; i++) {
            out.append(element);
            Object e = elements[i];
            if (e instanceof String[] parts) {
                int lastPart = parts.length - 1;
                while (lastPart >= 0 && isEmpty(parts[lastPart])) {
                    lastPart--;
                }
                for (int j = 0; j <= lastPart; j++) {
                    if (j > 0) {
                        out.append(component);
                    }
                    value(parts[j]);
                }
            } else if (e != null) {
                value(e.toString());
            }
        }
        out.append(segment);
        segments++;
        return this;
    }

    /** Appends a segment exactly as given (the fixed-width X12 ISA). */
    EdiText raw(String segmentText) {
        out.append(segmentText).append(segment);
        segments++;
        return this;
    }

    /** Segments written so far (UNA not counted). */
    int segments() {
        return segments;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void value(String v) {
        if (v == null) {
            return;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == component || c == element || c == segment || (edifact && c == '?')) {
                if (edifact) {
                    out.append('?').append(c);
                } else {
                    out.append(' ');
                }
            } else {
                out.append(c);
            }
        }
    }

    private static boolean isEmpty(Object e) {
        if (e == null) {
            return true;
        }
        if (e instanceof String[] parts) {
            for (String p : parts) {
                if (!isEmpty(p)) {
                    return false;
                }
            }
            return true;
        }
        return e.toString().isEmpty();
    }
}
