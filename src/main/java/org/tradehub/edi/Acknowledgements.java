package org.tradehub.edi;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the functional acknowledgement of a received interchange from what {@link EdiReader} reported:
 * UN/EDIFACT CONTRL (ISO 9735 part 6: UCI for the interchange, UCF for a group in error, UCM per message with UCS/UCD
 * at the segment and element in error; codes from list 0085, actions from 0083) or X12 997 (AK1/AK2/AK3/AK4/AK5/AK9
 * per functional group) with a TA1 when the envelope itself is in error.
 *
 * <p>Choice where the standards leave room: when the interchange trailer is missing or wrong but complete messages
 * were read (a truncated transmission), those messages are processed (one bad part must not block the good ones),
 * so the CONTRL's UCI says 7 (acknowledged) with the error code, and the X12 TA1 says E (accepted with errors).
 * Only when no message could be used is the interchange rejected as a whole (UCI 4, TA1 R).
 */
public final class Acknowledgements {

    /** UN/EDIFACT 0083 action codes. */
    static final String REJECTED = "4";
    static final String ACKNOWLEDGED = "7";

    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");
    private static final DateTimeFormatter CCYYMMDD = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HHmm");

    /** X12 functional identifier codes (GS01) of the transaction sets partners send us. */
    private static final Map<String, String> X12_FUNCTIONAL_IDS = Map.of("850", "PO", "860", "PC", "855", "PR",
            "810", "IN", "856", "SH", "997", "FA", "999", "FA", "820", "RA", "940", "OW");

    /** Message types that are themselves acknowledgements: never acknowledged again (ISO 9735-6, X12). */
    static final Set<String> ACKNOWLEDGEMENT_TYPES = Set.of("CONTRL", "997", "999", "TA1");

    /**
     * Who we are and who the partner is on the acknowledgement's envelope, its control number and time.
     *
     * @param standard used only when the received payload was unreadable (no envelope to answer in kind)
     */
    public record Addressing(String standard, String ourId, String ourQualifier, String theirId,
                             String theirQualifier, long controlNumber, LocalDateTime at, boolean test) {
    }

    /** An acknowledgement ready to send: CONTRL, 997 or TA1 (a 997 envelope with only a TA1). */
    public record Ack(String documentType, String controlRef, byte[] content, String text, String contentType) {
    }

    private Acknowledgements() {
    }

    /** Builds the acknowledgement, or returns null when there is nothing to acknowledge in a known standard. */
    public static Ack build(InterchangeReport report, Addressing to) {
        String standard = report.standard() != null ? report.standard() : to.standard();
        if (EdiInput.X12.equals(standard)) {
            return x12(report, to);
        }
        if (EdiInput.EDIFACT.equals(standard)) {
            return contrl(report, to);
        }
        return null;
    }

    // ---------------------------------------------------------------- UN/EDIFACT CONTRL

    static Ack contrl(InterchangeReport report, Addressing to) {
        EdiEnvelope env = report.envelope();
        String syntaxId = env != null && env.syntaxIdentifier() != null ? env.syntaxIdentifier() : "UNOC";
        String syntaxVersion = env != null && env.syntaxVersion() != null ? env.syntaxVersion() : "3";
        boolean v4 = "4".equals(syntaxVersion);
        String icn = String.valueOf(to.controlNumber());
        String date = (v4 ? CCYYMMDD : YYMMDD).format(to.at());

        EdiText t = EdiText.edifact();
        t.seg("UNB", new String[] {syntaxId, syntaxVersion}, new String[] {to.ourId(), to.ourQualifier()},
                new String[] {to.theirId(), to.theirQualifier()}, new String[] {date, HHMM.format(to.at())}, icn,
                null, null, null, null, null, to.test() ? "1" : null);
        int unh = t.segments();
        t.seg("UNH", "1", v4 ? new String[] {"CONTRL", "4", "1", "UN"} : new String[] {"CONTRL", "D", "3", "UN"});

        List<EdiMessage> messages = acknowledgeable(report);
        boolean anyAccepted = messages.stream().anyMatch(EdiMessage::accepted);
        List<EdiError> interchangeErrors = report.interchangeErrors();
        EdiError first = interchangeErrors.isEmpty() ? null : interchangeErrors.get(0);
        boolean rejectAll = first != null && !anyAccepted;
        // UCI: the reference and parties of the interchange we received, as it named them
        t.seg("UCI", env == null || env.controlRef() == null ? "UNKNOWN" : env.controlRef(),
                env == null ? new String[] {to.theirId(), to.theirQualifier()}
                        : new String[] {env.senderId(), env.senderQualifier()},
                env == null ? new String[] {to.ourId(), to.ourQualifier()}
                        : new String[] {env.receiverId(), env.receiverQualifier()},
                rejectAll ? REJECTED : ACKNOWLEDGED,
                first == null ? null : first.syntaxErrorCode(),
                first == null ? null : first.segmentTag(),
                first == null || first.elementPosition() == 0 ? null : String.valueOf(first.elementPosition()));

        Set<String> groupsInError = new LinkedHashSet<>();
        for (EdiError g : report.envelopeErrors()) {
            if (g.scope() == EdiError.Scope.GROUP && groupsInError.add(String.valueOf(g.messageRef()))) {
                t.seg("UCF", g.messageRef(), null, null, REJECTED, g.syntaxErrorCode(), g.segmentTag(),
                        g.elementPosition() == 0 ? null : String.valueOf(g.elementPosition()));
            }
        }
        for (EdiMessage m : messages) {
            String[] id = {m.type(), m.version(), m.release(), m.agency(), m.association()};
            if (m.accepted()) {
                t.seg("UCM", m.controlRef(), id, ACKNOWLEDGED);
                continue;
            }
            // an error in the message's own header or trailer is named on the UCM; others get UCS/UCD below it
            EdiError service = m.errors().stream().filter(e -> isServiceSegment(e.segmentTag())).findFirst()
                    .orElse(null);
            t.seg("UCM", m.controlRef(), id, REJECTED, service == null ? null : service.syntaxErrorCode(),
                    service == null ? null : service.segmentTag(),
                    service == null || service.elementPosition() == 0 ? null
                            : String.valueOf(service.elementPosition()));
            for (EdiError e : m.errors()) {
                if (e == service || e.segmentPosition() <= 0) {
                    continue;
                }
                if (e.elementPosition() > 0) {
                    t.seg("UCS", String.valueOf(e.segmentPosition()));
                    t.seg("UCD", e.syntaxErrorCode(), new String[] {String.valueOf(e.elementPosition())});
                } else {
                    t.seg("UCS", String.valueOf(e.segmentPosition()), e.syntaxErrorCode());
                }
            }
        }
        t.seg("UNT", String.valueOf(t.segments() - unh + 1), "1");
        t.seg("UNZ", "1", icn);
        String text = t.toString();
        Charset charset = env == null ? StandardCharsets.ISO_8859_1 : Charset.forName(env.charset());
        return new Ack("CONTRL", icn, text.getBytes(charset), text, "application/EDIFACT");
    }

    private static boolean isServiceSegment(String tag) {
        return "UNH".equals(tag) || "UNT".equals(tag);
    }

    // ---------------------------------------------------------------- X12 997 / TA1

    static Ack x12(InterchangeReport report, Addressing to) {
        EdiEnvelope env = report.envelope();
        String isaVersion = env != null && env.syntaxVersion() != null ? env.syntaxVersion() : "00401";
        boolean v5 = isaVersion.compareTo("00500") >= 0;
        String icn = String.format("%09d", to.controlNumber() % 1_000_000_000L);
        String ourQualifier = to.ourQualifier() == null ? "ZZ" : to.ourQualifier();
        String theirQualifier = to.theirQualifier() == null ? "ZZ" : to.theirQualifier();

        EdiText t = EdiText.x12();
        // ISA is fixed width (106 characters); ISA11 is the repetition separator from 5010 on, 'U' before
        t.raw(String.join("*", "ISA", "00", pad("", 10), "00", pad("", 10), pad(ourQualifier, 2),
                pad(to.ourId(), 15), pad(theirQualifier, 2), pad(to.theirId(), 15), YYMMDD.format(to.at()),
                HHMM.format(to.at()), v5 ? "^" : "U", isaVersion, icn, "0", to.test() ? "T" : "P", ">"));

        List<EdiMessage> messages = acknowledgeable(report);
        boolean anyAccepted = messages.stream().anyMatch(EdiMessage::accepted);
        List<EdiError> interchangeErrors = report.interchangeErrors();
        if (!interchangeErrors.isEmpty() || env == null) {
            String code = interchangeErrors.stream().map(EdiError::syntaxErrorCode).filter(c -> c.length() == 3)
                    .findFirst().orElse("024"); // 024: invalid interchange content
            t.seg("TA1", env == null || env.controlRef() == null ? "000000000" : env.controlRef(),
                    env == null || env.date() == null ? YYMMDD.format(to.at()) : env.date(),
                    env == null || env.time() == null ? HHMM.format(to.at()) : env.time(),
                    anyAccepted ? "E" : "R", code);
        }

        // one 997 transaction set per functional group received, all in one FA group
        Map<String, List<EdiMessage>> groups = new LinkedHashMap<>();
        for (EdiMessage m : messages) {
            groups.computeIfAbsent(String.valueOf(m.groupControlRef()), g -> new ArrayList<>()).add(m);
        }
        int groupCount = 0;
        if (!groups.isEmpty()) {
            groupCount = 1;
            String gsVersion = messages.get(0).version() == null ? "004010" : messages.get(0).version();
            t.seg("GS", "FA", to.ourId(), to.theirId(), CCYYMMDD.format(to.at()), HHMM.format(to.at()),
                    String.valueOf(to.controlNumber() % 1_000_000_000L), "X", gsVersion);
            int setNumber = 0;
            for (Map.Entry<String, List<EdiMessage>> g : groups.entrySet()) {
                setNumber++;
                ak997(t, String.format("%04d", setNumber), g.getValue(), report.groupErrors(g.getKey()), v5);
            }
            t.seg("GE", String.valueOf(setNumber), String.valueOf(to.controlNumber() % 1_000_000_000L));
        }
        t.seg("IEA", String.valueOf(groupCount), icn);
        String text = t.toString();
        return new Ack(groups.isEmpty() ? "TA1" : "997", icn, text.getBytes(StandardCharsets.ISO_8859_1), text,
                "application/EDI-X12");
    }

    private static void ak997(EdiText t, String setRef, List<EdiMessage> group, List<EdiError> groupErrors,
                              boolean v5) {
        int st = t.segments();
        EdiMessage head = group.get(0);
        t.seg("ST", "997", setRef);
        t.seg("AK1", X12_FUNCTIONAL_IDS.getOrDefault(head.type(), "PO"), head.groupControlRef(),
                v5 ? head.version() : null);
        int accepted = 0;
        for (EdiMessage m : group) {
            t.seg("AK2", m.type(), m.controlRef(), v5 ? m.association() : null);
            Set<String> ak5Codes = new LinkedHashSet<>();
            for (EdiError e : m.errors()) {
                if ("ST".equals(e.segmentTag()) || "SE".equals(e.segmentTag())) {
                    // 1 not supported, 2 trailer missing (truncated), 3 control number, 4 segment count
                    ak5Codes.add(e.syntaxErrorCode());
                } else if (e.elementPosition() > 0) {
                    t.seg("AK3", e.segmentTag(), String.valueOf(e.segmentPosition()), null, "8");
                    t.seg("AK4", String.valueOf(e.elementPosition()), null, e.syntaxErrorCode());
                    ak5Codes.add("5");
                } else {
                    t.seg("AK3", e.segmentTag(), String.valueOf(e.segmentPosition()), null, e.syntaxErrorCode());
                    ak5Codes.add("5");
                }
            }
            if (m.accepted()) {
                accepted++;
                t.seg("AK5", "A");
            } else {
                List<Object> ak5 = new ArrayList<>();
                ak5.add("R");
                ak5Codes.stream().limit(5).forEach(ak5::add);
                t.seg("AK5", ak5.toArray());
            }
        }
        String status = accepted == group.size() ? (groupErrors.isEmpty() ? "A" : "E")
                : accepted == 0 ? "R" : "P";
        List<Object> ak9 = new ArrayList<>(List.of(status, String.valueOf(group.size()),
                String.valueOf(group.size()), String.valueOf(accepted)));
        groupErrors.stream().map(EdiError::syntaxErrorCode).distinct().limit(5).forEach(ak9::add);
        t.seg("AK9", ak9.toArray());
        t.seg("SE", String.valueOf(t.segments() - st + 1), setRef);
    }

    /** The messages an acknowledgement covers: all but acknowledgements themselves. */
    static List<EdiMessage> acknowledgeable(InterchangeReport report) {
        return report.messages().stream().filter(m -> !ACKNOWLEDGEMENT_TYPES.contains(m.type())).toList();
    }

    private static String pad(String s, int width) {
        String v = s == null ? "" : s;
        return v.length() >= width ? v.substring(0, width) : v + " ".repeat(width - v.length());
    }
}
