package org.tradehub.edi;

import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamConstants.Delimiters;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamReader;
import io.xlate.edi.stream.EDIStreamValidationError;
import io.xlate.edi.stream.Location;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Streaming reader for UN/EDIFACT and X12 interchanges, built on StAEDI.
 *
 * The input is read once, front to back; per business message (UNH..UNT, ST..SE) the reader builds one small XML
 * document and hands it to {@link EdiHandler#onMessage}, so memory is bounded by the largest message, not by the
 * interchange. Nothing is accumulated across messages except counters.
 *
 * <p>The per-message XML (no namespace). One empty {@code segment} element per segment, its values as attributes
 * named by position: {@code v<element>.<component>} (a simple element is component 1), so a template reads NAD
 * element 2 component 3 as {@code $nad/@v2.3}, an attribute looked up by name: the hot path of every EDI mapping.
 * Values are whitespace normalized (XPath's normalize-space; what edi:v always gave) and empty ones are left out, so
 * an attribute that is there has a value. Repetitions 2+ of a data element (syntax 4, X12 5010) are
 * {@code v<element>.<component>.r<repetition>}. A segment's first value (element 1, component 1) is also its
 * {@code qualifier} attribute, absent when empty: in most segments it says what the segment is about (NAD+BY, DTM+137,
 * MOA+79; X12 N1*BY, AMT*TT), and templates pick segments by it.
 * <pre>{@code
 * <message standard="EDIFACT" type="ORDERS" version="D" release="96A" agency="UN" association="EAN008"
 *          controlRef="1" groupControlRef="..." interchangeControlRef="42" sender="5412345000013"
 *          senderQualifier="14" receiver="..." receiverQualifier="14" syntax="UNOC" syntaxVersion="3"
 *          decimalMark="," index="1">
 *   <segment tag="UNH" pos="1" qualifier="1" v1.1="1" v2.1="ORDERS" v2.2="D" v2.3="96A" v2.4="UN"/>
 *   <segment tag="BGM" pos="2" qualifier="220" v1.1="220" v2.1="PO-4711"/>
 *   <segment tag="DTM" pos="3" qualifier="137" v1.1="137" v1.2="20240131" v1.3="102"/>
 *   <segment tag="NAD" pos="4" qualifier="BY" v1.1="BY" v2.1="4012345000009" v2.3="9" v4.1="Name"/>
 *   <segment tag="FTX" pos="5" qualifier="AAI" v1.1="AAI" v4.1="first" v4.1.r2="second"/>
 * }</pre>
 * ({@code pos} of a segment is its position in the message, UNH/ST = 1; the text has one segment per line.) An X12
 * TA1 in the envelope comes as a message of type TA1 of its own, holding that one segment.
 * Values are as sent with release characters removed; decimal marks are NOT rewritten (the templates read
 * {@code decimalMark} or translate ',' in numeric fields, where a comma can only be a decimal mark).
 */
public final class EdiReader {

    private static final EDIInputFactory FACTORY = newFactory();

    /** Start of the text of an error that ended the reading (garbage, truncation): no later part was read. */
    static final String UNREADABLE = "Unreadable interchange: ";

    private final Set<String> supportedTypes;

    /** A reader that accepts every message type. */
    public EdiReader() {
        this(Set.of());
    }

    /**
     * @param supportedTypes message types (UNH 0065, e.g. ORDERS; ST01, e.g. 850) that may be mapped; others are
     *                       delivered with a 'not supported' error. Empty = all.
     */
    public EdiReader(Set<String> supportedTypes) {
        this.supportedTypes = Set.copyOf(supportedTypes);
    }

    private static EDIInputFactory newFactory() {
        EDIInputFactory factory = EDIInputFactory.newFactory();
        // Line breaks and tabs between (or inside) segments are noise from pretty-printing and FTP line wrapping.
        factory.setProperty(EDIInputFactory.EDI_IGNORE_EXTRANEOUS_CHARACTERS, true);
        return factory;
    }

    /**
     * Reads every interchange in the stream. Structural problems are reported to the handler, never thrown; an
     * exception from the handler itself propagates. The stream is not closed.
     */
    public void read(InputStream in, EdiHandler handler) throws IOException {
        new Run(handler, supportedTypes).run(in);
    }

    /** The state of one read() call. */
    private static final class Run {
        private final EdiHandler handler;
        private final Set<String> supportedTypes;

        // counters for the summary
        private int interchanges;
        private int groups;
        private int messages;
        private int rejected;
        private int errorCount;

        private String standard;
        private EdiInput.Prepared prepared;
        private EdiEnvelope envelope;
        private final InterchangeKey key = new InterchangeKey();
        private boolean inInterchange;
        private String groupRef;
        private String groupVersion;
        private String groupAgency;

        // the current segment
        private String tag;
        private final List<Element> elements = new ArrayList<>();
        private Element composite;

        // the current message, reset per message
        private boolean inMessage;
        private int messageIndex;
        private int segmentInMessage;
        private StringBuilder body;
        private String[] header; // type, version, release, agency, association, ref
        private List<Pending> pending;

        Run(EdiHandler handler, Set<String> supportedTypes) {
            this.handler = handler;
            this.supportedTypes = supportedTypes;
        }

        void run(InputStream in) throws IOException {
            try {
                readAll(in);
            } catch (HandlerFailure e) {
                throw e.unwrap();
            }
        }

        private void readAll(InputStream in) throws IOException {
            prepared = EdiInput.prepare(in);
            standard = prepared.standard();
            if (standard == null) {
                error(EdiError.Scope.INTERCHANGE, null, 0, null, 0, "12",
                        "Input is neither a UN/EDIFACT (UNA/UNB) nor an X12 (ISA) interchange");
                end(false);
                return;
            }
            boolean complete;
            try (EDIStreamReader reader = FACTORY.createEDIStreamReader(prepared.stream(),
                    prepared.streamCharset().name())) {
                complete = loop(reader);
            } catch (HandlerFailure e) {
                throw e;
            } catch (Exception e) {
                // StAEDI stops at the first syntax error it cannot recover from (garbage, a lost header)
                fatal(e.getMessage());
                complete = false;
            }
            end(complete);
        }

        private boolean loop(EDIStreamReader r) throws Exception {
            boolean sawEnd = false;
            while (r.hasNext()) {
                EDIStreamEvent event = r.next();
                Location loc = r.getLocation();
                switch (event) {
                    case START_INTERCHANGE -> {
                        inInterchange = true;
                        sawEnd = false;
                    }
                    case END_INTERCHANGE -> {
                        inInterchange = false;
                        sawEnd = true;
                        String sha256 = key.sha256();
                        call(() -> handler.onInterchangeEnd(sha256));
                    }
                    case START_GROUP -> groups++;
                    case END_GROUP -> groupRef = null;
                    case START_TRANSACTION -> startMessage();
                    case END_TRANSACTION -> endMessage();
                    case START_SEGMENT -> {
                        tag = r.getText();
                        elements.clear();
                        if (inMessage) {
                            segmentInMessage++;
                        }
                    }
                    case START_COMPOSITE -> composite = new Element(loc.getElementPosition(),
                            loc.getElementOccurrence());
                    case END_COMPOSITE -> {
                        elements.add(composite);
                        composite = null;
                    }
                    case ELEMENT_DATA -> {
                        String value = r.getText();
                        if (composite != null) {
                            composite.add(loc.getComponentPosition(), value);
                        } else {
                            Element e = new Element(loc.getElementPosition(), loc.getElementOccurrence());
                            e.add(1, value);
                            elements.add(e);
                        }
                    }
                    case END_SEGMENT -> endSegment(r);
                    case SEGMENT_ERROR, ELEMENT_DATA_ERROR, ELEMENT_OCCURRENCE_ERROR -> validationError(r, loc);
                    default -> {
                        // loops are not reported without a transaction schema; binary data is not used by orders
                    }
                }
            }
            if (inMessage || inInterchange || !sawEnd) {
                fatal("Interchange ends before its trailer (" + (inMessage ? "UNT/SE" : "UNZ/IEA") + "): truncated");
                return false;
            }
            return true;
        }

        private void startMessage() {
            inMessage = true;
            messageIndex++;
            segmentInMessage = 0;
            body = new StringBuilder(8192);
            header = new String[6];
            pending = new ArrayList<>(2);
        }

        private void endSegment(EDIStreamReader r) {
            key.segment(tag, elements);
            if (inMessage) {
                if ("UNH".equals(tag) || "ST".equals(tag)) {
                    readMessageHeader();
                }
                MessageXml.segment(body, tag, segmentInMessage, elements);
            } else {
                switch (tag) {
                    case "UNB" -> interchangeHeader(r, false);
                    case "ISA" -> interchangeHeader(r, true);
                    case "UNG" -> {
                        groupRef = value(5, 1);
                        groupVersion = value(7, 1);
                        groupAgency = value(6, 1);
                    }
                    case "GS" -> {
                        groupRef = value(6, 1);
                        groupAgency = value(7, 1);
                        groupVersion = value(8, 1);
                    }
                    case "TA1" -> interchangeAcknowledgement();
                    default -> {
                        // UNA, trailers: counts are checked by StAEDI and arrive as error events
                    }
                }
            }
        }

        private void readMessageHeader() {
            if ("UNH".equals(tag)) {
                header[5] = value(1, 1);
                header[0] = value(2, 1);
                header[1] = value(2, 2);
                header[2] = value(2, 3);
                header[3] = value(2, 4);
                header[4] = value(2, 5);
            } else {
                header[0] = value(1, 1);
                header[5] = value(2, 1);
                header[1] = groupVersion;
                header[3] = groupAgency;
                header[4] = value(3, 1);
            }
            if (!supportedTypes.isEmpty() && header[0] != null && !supportedTypes.contains(header[0])) {
                boolean x12 = "ST".equals(tag);
                pending.add(new Pending(1, tag, x12 ? 1 : 2, x12 ? "1" : "14",
                        "Message type " + header[0] + " is not supported"));
            }
        }

        private void endMessage() {
            inMessage = false;
            String ref = header[5];
            List<EdiError> errors = new ArrayList<>(pending.size());
            for (Pending p : pending) {
                errors.add(new EdiError(EdiError.Scope.MESSAGE, ref, p.segment, p.tag, p.element, p.code, p.text));
            }
            for (EdiError e : errors) {
                report(e);
            }
            if (!errors.isEmpty()) {
                rejected++;
            }
            StringBuilder segments = body;
            body = null;
            pending = null;
            deliver(header, groupRef, segments, segmentInMessage, errors);
        }

        /** Hands one message on: header = type, version, release, agency, association, controlRef. */
        private void deliver(String[] header, String group, StringBuilder segments, int segmentCount,
                             List<EdiError> errors) {
            messages++;
            String xml = MessageXml.message(standard, header, group, envelope, messageIndex, segments);
            EdiMessage message = new EdiMessage(standard, header[0], header[1], header[2], header[3], header[4],
                    header[5], group, envelope == null ? null : envelope.controlRef(), messageIndex, segmentCount,
                    xml, errors);
            call(() -> handler.onMessage(message));
        }

        /**
         * An X12 TA1 (a partner's answer to an interchange we sent: TA101 its control number, TA104 A/E/R, TA105 the
         * note code) stands in the envelope, outside any group: it is handed on as a message of type TA1 holding this
         * one segment, so that it is recorded as an answer as a 997 is, and, an acknowledgement, never acknowledged.
         */
        private void interchangeAcknowledgement() {
            messageIndex++;
            StringBuilder segment = new StringBuilder(256);
            MessageXml.segment(segment, tag, 1, elements);
            deliver(new String[] {"TA1", envelope == null ? null : envelope.syntaxVersion(), null, null, null,
                    value(1, 1)}, null, segment, 1, List.of());
        }

        private void interchangeHeader(EDIStreamReader r, boolean x12) {
            interchanges++;
            messageIndex = 0;
            Character decimal = r.getDelimiters().get(Delimiters.DECIMAL);
            String charset = prepared.charset().name();
            if (x12) {
                envelope = new EdiEnvelope(EdiInput.X12, null, value(12, 1), charset,
                        value(6, 1), value(5, 1), value(8, 1), value(7, 1), value(9, 1), value(10, 1),
                        value(13, 1), "T".equals(value(15, 1)), '.');
            } else {
                envelope = new EdiEnvelope(EdiInput.EDIFACT, value(1, 1), value(1, 2), charset,
                        value(2, 1), value(2, 2), value(3, 1), value(3, 2), value(4, 1), value(4, 2),
                        value(5, 1), "1".equals(value(11, 1)), decimal == null ? '.' : decimal);
            }
            call(() -> handler.onInterchange(envelope));
            if (!x12 && !prepared.charsetKnown()) {
                error(EdiError.Scope.INTERCHANGE, envelope.controlRef(), 2, "UNB", 1, "46",
                        "Character set " + envelope.syntaxIdentifier() + " not supported; decoded as "
                                + prepared.charset().name());
            }
        }

        private void validationError(EDIStreamReader r, Location loc) {
            EDIStreamValidationError type = r.getErrorType();
            String segTag = loc.getSegmentTag();
            if ("UNB".equals(segTag) && loc.getElementPosition() == 1 && prepared.charsetKnown()
                    && type == EDIStreamValidationError.INVALID_CODE_VALUE) {
                return; // StAEDI's UNB code list lacks some ISO 9735 identifiers (UNOW); we decoded it already
            }
            int element = Math.max(loc.getElementPosition(), 0);
            String code = EdiInput.X12.equals(standard) ? SyntaxErrorCodes.x12(type, segTag)
                    : SyntaxErrorCodes.edifact(type);
            String text = describe(type, segTag, element, r);
            if (inMessage) {
                pending.add(new Pending(segmentInMessage, segTag, element, code, text));
            } else if ("UNG".equals(segTag) || "UNE".equals(segTag) || "GS".equals(segTag)
                    || "GE".equals(segTag)) {
                error(EdiError.Scope.GROUP, groupRef, loc.getSegmentPosition(), segTag, element, code, text);
            } else {
                error(EdiError.Scope.INTERCHANGE, envelope == null ? null : envelope.controlRef(),
                        loc.getSegmentPosition(), segTag, element, code, text);
            }
        }

        private static String describe(EDIStreamValidationError type, String segTag, int element,
                                       EDIStreamReader r) {
            String value = null;
            try {
                value = r.getTextLength() > 0 ? r.getText() : null;
            } catch (RuntimeException ignored) {
                // some error events carry no text
            }
            return type.name().toLowerCase().replace('_', ' ') + " in " + segTag
                    + (element > 0 ? " element " + element : "") + (value != null ? " (value '" + value + "')" : "");
        }

        private void fatal(String reason) {
            String text = UNREADABLE + reason;
            boolean x12 = EdiInput.X12.equals(standard);
            if (inMessage) {
                // the message in flight is lost: it is delivered (rejected, with what was read) and reported as missing
                // its trailer, at the position the trailer would have had (CONTRL UCM 13 UNT, X12 AK5 code 2)
                pending.add(new Pending(segmentInMessage + 1, x12 ? "SE" : "UNT", 0, x12 ? "2" : "13", text));
                endMessage();
            }
            error(EdiError.Scope.INTERCHANGE, envelope == null ? null : envelope.controlRef(), 0,
                    envelope == null ? tag : (x12 ? "IEA" : "UNZ"), 0, x12 ? "023" : "13", text);
        }

        private void error(EdiError.Scope scope, String ref, int segment, String segTag, int element, String code,
                           String text) {
            report(new EdiError(scope, ref, segment, segTag, element, code, text));
        }

        private void report(EdiError e) {
            errorCount++;
            call(() -> handler.onError(e));
        }

        private void end(boolean complete) {
            EdiSummary summary = new EdiSummary(interchanges, groups, messages, rejected, errorCount, complete);
            call(() -> handler.onEnd(summary));
        }

        /** First value of an element (or of one of its components) in the current segment; null when empty. */
        private String value(int elementPos, int componentPos) {
            for (Element e : elements) {
                if (e.pos == elementPos && e.rep <= 1) {
                    String v = e.component(componentPos);
                    return v == null || v.isBlank() ? null : v.trim();
                }
            }
            return null;
        }

        private void call(Runnable callback) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                throw new HandlerFailure(e);
            }
        }
    }

    /** An error found inside a message, waiting for the message's reference (read from UNH/ST). */
    private record Pending(int segment, String tag, int element, String code, String text) {
    }

    /** Keeps a handler's own exception apart from StAEDI's, so it is rethrown, not reported. */
    private static final class HandlerFailure extends RuntimeException {
        HandlerFailure(RuntimeException cause) {
            super(cause);
        }

        RuntimeException unwrap() {
            return (RuntimeException) getCause();
        }
    }

    /** One data element occurrence of the current segment. */
    static final class Element {
        final int pos;
        final int rep;
        /** Its values by component position (a simple element's value is component 1). */
        private final List<String> components = new ArrayList<>(4);

        Element(int pos, int rep) {
            this.pos = pos;
            this.rep = rep;
        }

        void add(int componentPos, String value) {
            int index = Math.max(componentPos, 1) - 1;
            while (components.size() <= index) {
                components.add(null);
            }
            components.set(index, value);
        }

        String component(int componentPos) {
            return componentPos - 1 < components.size() ? components.get(componentPos - 1) : null;
        }

        List<String> components() {
            return components;
        }
    }
}
