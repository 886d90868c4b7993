package org.tradehub.edi;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.tradehub.canonical.CodeLists;
import org.tradehub.config.HubProperties;
import org.tradehub.declaration.Declarations;
import org.tradehub.ledger.Ledger;
import org.tradehub.ledger.TransactionStatus;
import org.tradehub.services.PlanSteps;
import org.tradehub.xml.SafeXml;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/**
 * Answers that arrive as EDI messages and belong on a transaction's timeline: a single window's CUSRES to our CUSDEC,
 * and a partner's CONTRL / 997 / 999 / TA1 to a document we sent (ORDRSP, 855, CUSDEC). Called inside the database
 * transaction that records the interchange.
 */
@Component
public class EdiAnswers {

    /** UN/EDIFACT 4343 response type codes a single window uses in CUSRES BGM. */
    private static final Set<String> ACCEPTED_RESPONSES = Set.of("AP", "CA");

    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final Declarations declarations;
    private final PlanSteps planSteps;
    /** What a CONTRL's syntax error codes (0085) and a TA1's note codes (I18) mean, for the timeline. */
    private final Map<String, String> edifactErrors;
    private final Map<String, String> x12Notes;

    public EdiAnswers(JdbcTemplate jdbc, Ledger ledger, Declarations declarations, HubProperties hub,
                      PlanSteps planSteps) {
        this.planSteps = planSteps;
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.declarations = declarations;
        this.edifactErrors = CodeLists.descriptions(hub.mappingsDir().resolve("codelists/edifact-syntax-errors-0085.csv"));
        this.x12Notes = CodeLists.descriptions(hub.mappingsDir().resolve("codelists/x12-interchange-notes-i18.csv"));
    }

    /** Records the answer on its transaction; returns a note for the interchange log when it could not. */
    public Optional<String> record(String tenant, String partner, EdiMessage m) {
        Segments segs = Segments.of(m.xml());
        return switch (m.type()) {
            case "CUSRES" -> cusres(tenant, m, segs);
            case "CONTRL" -> contrl(tenant, partner, segs);
            case "997", "999" -> x12Ack(tenant, partner, segs, m.type());
            case "TA1" -> ta1(tenant, partner, segs);
            default -> Optional.empty();
        };
    }

    /**
     * CUSRES: correlated with our declaration by its LRN, which our CUSDEC sends as BGM 1004 and RFF+ABE; the single
     * window quotes it in an RFF (any qualifier) or in BGM 1004. ERC (application error) or response type RE = the
     * declaration is rejected; AP / CA = accepted (the MRN is the RFF+ABT, or the BGM number when it is not our LRN);
     * anything else = received.
     */
    private Optional<String> cusres(String tenant, EdiMessage m, Segments segs) {
        Set<String> candidates = new LinkedHashSet<>();
        candidates.add(segs.value("BGM", 2, 1));
        for (Element rff : segs.all("RFF")) {
            candidates.add(Segments.value(rff, 1, 2));
        }
        candidates.remove(null);
        if (candidates.isEmpty()) {
            return Optional.of("CUSRES " + m.controlRef() + " names no declaration reference.");
        }
        String marks = String.join(",", java.util.Collections.nCopies(candidates.size(), "?"));
        List<Object> args = new ArrayList<>(List.of(tenant));
        args.addAll(candidates);
        List<Map<String, Object>> rows = jdbc.queryForList("select d.transaction_id, d.lrn, d.status from declaration d"
                + " join trade_transaction t on t.id = d.transaction_id where t.tenant_id = ? and d.target = '"
                + CusdecDeclarations.TARGET + "' and d.lrn in (" + marks + ")", args.toArray());
        if (rows.isEmpty()) {
            return Optional.of("CUSRES " + m.controlRef() + " answers no declaration of this tenant (references "
                    + candidates + ").");
        }
        String transactionId = (String) rows.get(0).get("transaction_id");
        String lrn = (String) rows.get(0).get("lrn");
        // refused by a CONTRL (the single window could not read the interchange): a CUSRES that decides on the
        // declaration overrides that; one that only answers is recorded on the timeline and leaves the refusal
        boolean refused = "REFUSED".equals(rows.get(0).get("status"));
        String bgmNumber = segs.value("BGM", 2, 1);
        String response = segs.value("BGM", 4, 1);
        List<String> errors = new ArrayList<>();
        for (Element erc : segs.all("ERC")) {
            errors.add(Segments.value(erc, 1, 1));
        }
        List<String> texts = new ArrayList<>();
        for (Element ftx : segs.all("FTX")) {
            String t = String.join(" ", Segments.components(ftx, 4)).trim();
            if (!t.isEmpty()) {
                texts.add(t);
            }
        }
        String mrn = segs.all("RFF").stream().filter(r -> "ABT".equals(Segments.value(r, 1, 1)))
                .map(r -> Segments.value(r, 1, 2)).findFirst()
                .orElse(bgmNumber != null && !bgmNumber.equals(lrn) ? bgmNumber : null);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lrn", lrn);
        details.put("cusresRef", m.controlRef());
        details.put("interchangeRef", m.interchangeControlRef());
        if (mrn != null) {
            details.put("mrn", mrn);
        }
        if (!errors.isEmpty()) {
            details.put("errorCodes", errors);
        }
        String text = texts.isEmpty() ? "" : " " + String.join(" ", texts);
        if (!errors.isEmpty() || "RE".equals(response)) {
            setDeclaration(transactionId, "REJECTED", mrn);
            ledger.setStatus(transactionId, TransactionStatus.DECLARATION_REJECTED);
            String why = "The single window rejected the export declaration (LRN " + lrn + ", CUSRES)"
                    + (errors.isEmpty() ? "" : ": error codes " + errors) + "." + text;
            decided(transactionId, PlanSteps.REJECTED, why, refused);
            ledger.addEvent(transactionId, "DECLARATION_REJECTED", why, details);
        } else if (ACCEPTED_RESPONSES.contains(response)) {
            setDeclaration(transactionId, "ACCEPTED", mrn);
            declarations.advance(transactionId, TransactionStatus.DECLARATION_ACCEPTED);
            decided(transactionId, PlanSteps.ACCEPTED, refused ? "The single window accepted the declaration"
                    + " (CUSRES) after a CONTRL had rejected its interchange." : null, refused);
            ledger.addEvent(transactionId, "DECLARATION_ACCEPTED", "The single window accepted the export declaration"
                    + " (LRN " + lrn + (mrn == null ? "" : ", MRN " + mrn) + ", CUSRES)." + text, details);
        } else {
            planSteps.declarationOutcome(transactionId, PlanSteps.ACKNOWLEDGED, null);
            ledger.addEvent(transactionId, "DECLARATION_RECEIVED", "The single window answered the export declaration"
                    + " (LRN " + lrn + ", CUSRES" + (response == null ? "" : " response type " + response) + ")." + text,
                    details);
        }
        return Optional.empty();
    }

    /** The declaration step moved by a CUSRES decision; over a CONTRL's refusal too, when there was one. */
    private void decided(String transactionId, String state, String reason, boolean overRefusal) {
        if (overRefusal) {
            planSteps.declarationDecided(transactionId, state, reason);
        } else {
            planSteps.declarationOutcome(transactionId, state, reason);
        }
    }

    private void setDeclaration(String transactionId, String status, String mrn) {
        jdbc.update("update declaration set status = ?, mrn = coalesce(?, mrn), updated_at = ? where transaction_id = ?"
                + " and target = ?", status, mrn, Timestamp.from(ledger.now()), transactionId, CusdecDeclarations.TARGET);
    }

    /**
     * CONTRL UCI: 0020 = our interchange reference, 0083 = 4 rejected, 7 acknowledged, 8 received; 0085 = the syntax
     * error. A rejection of the whole interchange for error 26 (duplicate detected) refuses a copy of something the
     * partner already has: our interchange references are never reused, so it had an earlier copy of this one (a
     * transport retry, or our resend after an interruption), and nothing needs correcting.
     */
    private Optional<String> contrl(String tenant, String partner, Segments segs) {
        String ref = segs.value("UCI", 1, 1);
        String action = segs.value("UCI", 4, 1);
        String error = segs.value("UCI", 5, 1);
        boolean messageRejected = segs.all("UCM").stream().anyMatch(u -> "4".equals(Segments.value(u, 3, 1)));
        Acknowledged outcome = "4".equals(action) && "26".equals(error) && !messageRejected ? Acknowledged.DUPLICATE
                : "4".equals(action) || messageRejected ? Acknowledged.REJECTED : Acknowledged.ACCEPTED;
        return acknowledgementOf(tenant, partner, ref, "CONTRL", outcome,
                "action " + action + (error == null ? "" : ", syntax error " + explained(error, edifactErrors)));
    }

    /** What a partner's acknowledgement says about an interchange we sent. */
    private enum Acknowledged { ACCEPTED, REJECTED, DUPLICATE }

    /**
     * 997, or 999 (its successor from 5010 on, same AK1 and AK9): AK1 02 = the group control number of what we sent (we
     * use the interchange number); AK9 01 = A/E/P/R.
     */
    private Optional<String> x12Ack(String tenant, String partner, Segments segs, String kind) {
        String group = segs.value("AK1", 2, 1);
        String status = segs.value("AK9", 1, 1);
        // our ISA13 is the 9-digit form of the number we also put in GS06
        String ref = group == null || !group.matches("\\d{1,9}") ? group
                : String.format("%09d", Long.parseLong(group));
        return acknowledgementOf(tenant, partner, ref, kind,
                "R".equals(status) || "P".equals(status) ? Acknowledged.REJECTED : Acknowledged.ACCEPTED, "AK9 " + status);
    }

    /**
     * TA1: TA101 = our interchange control number (ISA13), TA104 = A accepted, E accepted with errors, R rejected;
     * TA105 = the note code. Rejected with note 025 (duplicate interchange control number) refuses a copy the partner
     * already has, as CONTRL error 26 does: our control numbers are never reused.
     */
    private Optional<String> ta1(String tenant, String partner, Segments segs) {
        String ref = segs.value("TA1", 1, 1);
        String status = segs.value("TA1", 4, 1);
        String note = segs.value("TA1", 5, 1);
        Acknowledged outcome = !"R".equals(status) ? Acknowledged.ACCEPTED
                : "025".equals(note) ? Acknowledged.DUPLICATE : Acknowledged.REJECTED;
        return acknowledgementOf(tenant, partner, ref, "TA1", outcome,
                "TA104 " + status + (note == null ? "" : ", note " + explained(note, x12Notes)));
    }

    /** A code with what it means, when the code list has it: "26: duplicate detected". */
    private static String explained(String code, Map<String, String> meanings) {
        String meaning = meanings.get(code);
        return meaning == null ? code : code + ": " + meaning;
    }

    private Optional<String> acknowledgementOf(String tenant, String partner, String ref, String kind,
                                               Acknowledged outcome, String detail) {
        List<Map<String, Object>> sent = ref == null ? List.of() : jdbc.queryForList("select transaction_id,"
                + " document_type from edi_outbound where tenant_id = ? and partner_id = ? and control_ref = ?"
                + " union all select transaction_id, document_type from edi_order_response where tenant_id = ?"
                + " and partner_id = ? and control_ref = ?", tenant, partner, ref, tenant, partner, ref);
        if (sent.isEmpty()) {
            return Optional.of(kind + " for interchange " + ref + ", which the hub did not send to this partner.");
        }
        for (Map<String, Object> s : sent) {
            String transactionId = (String) s.get("transaction_id");
            String type = (String) s.get("document_type");
            String event = switch (outcome) {
                case ACCEPTED -> "EDI_ACKNOWLEDGED";
                case REJECTED -> "EDI_REJECTED_BY_PARTNER";
                case DUPLICATE -> "EDI_DUPLICATE_REFUSED";
            };
            String summary = switch (outcome) {
                case ACCEPTED -> "The partner acknowledged our " + type + " (interchange " + ref + ") with a " + kind
                        + " (" + detail + ").";
                case REJECTED -> "The partner rejected our " + type + " (interchange " + ref + ") with a " + kind + " ("
                        + detail + "). The document must be corrected and sent again.";
                case DUPLICATE -> "The partner refused a copy of our " + type + " (interchange " + ref + ") as a"
                        + " duplicate with a " + kind + " (" + detail + "): it already has this interchange from an"
                        + " earlier copy. Nothing needs to be corrected or sent again.";
            };
            if (outcome == Acknowledged.ACCEPTED && "CUSDEC".equals(type)) {
                // the declaration's interchange reached the single window, as a DMSRCV says for CDS
                planSteps.declarationOutcome(transactionId, PlanSteps.ACKNOWLEDGED, null);
            }
            ledger.addEvent(transactionId, event, summary,
                    Map.of("documentType", type, "interchangeRef", ref, "acknowledgement", kind));
            if (outcome == Acknowledged.REJECTED && "CUSDEC".equals(type)) {
                cusdecRefused(transactionId, ref, kind, detail);
            }
        }
        return Optional.empty();
    }

    /**
     * The single window rejected the CUSDEC's interchange or message: it could not read the declaration, so nothing
     * is lodged, as when CDS answers a declaration with HTTP 4xx. The declaration is REFUSED (never sent again: the
     * same document would be refused again), the transaction DECLARATION_REJECTED, the plan step REJECTED with the
     * reason. Only a declaration still waiting (SUBMITTED) is refused: one the single window already decided on by
     * CUSRES keeps its decision, and a late CONTRL is only its timeline event.
     */
    private void cusdecRefused(String transactionId, String ref, String kind, String detail) {
        int refused = jdbc.update("update declaration set status = 'REFUSED', updated_at = ? where transaction_id = ?"
                + " and target = ? and status = 'SUBMITTED'", Timestamp.from(ledger.now()), transactionId,
                CusdecDeclarations.TARGET);
        if (refused == 0) {
            return;
        }
        String why = "The single window rejected the CUSDEC's interchange " + ref + " (" + kind + ", " + detail
                + "): the declaration was not lodged, and the hub does not send the same declaration again.";
        ledger.setStatus(transactionId, TransactionStatus.DECLARATION_REJECTED);
        planSteps.declarationOutcome(transactionId, PlanSteps.REJECTED, why);
        ledger.addEvent(transactionId, "DECLARATION_REFUSED", why, Map.of("interchangeRef", ref, "acknowledgement",
                kind));
    }

    /** Read access to the per-message XML of {@link EdiReader}. */
    static final class Segments {
        private final List<Element> segments;

        private Segments(List<Element> segments) {
            this.segments = segments;
        }

        static Segments of(String xml) {
            NodeList list = SafeXml.parse(Ledger.utf8(MessageXml.positional(xml)), SafeXml.DEFAULT_MAX_BYTES)
                    .getDocumentElement().getElementsByTagName("segment");
            List<Element> segs = new ArrayList<>(list.getLength());
            for (int i = 0; i < list.getLength(); i++) {
                segs.add((Element) list.item(i));
            }
            return new Segments(segs);
        }

        List<Element> all(String tag) {
            return segments.stream().filter(s -> tag.equals(s.getAttribute("tag"))).toList();
        }

        String value(String tag, int element, int component) {
            return all(tag).stream().findFirst().map(s -> value(s, element, component)).orElse(null);
        }

        /** A simple element's value (component 1) or a composite's component; null when absent (or empty). */
        static String value(Element segment, int element, int component) {
            String v = segment.getAttribute("v" + element + "." + component);
            return v.isEmpty() ? null : v;
        }

        /** All component values of an element and of its repetitions, in order (empty ones are not written). */
        static List<String> components(Element segment, int element) {
            String prefix = "v" + element + ".";
            // repetition -> component -> value, from the attribute names: a DOM keeps no order of attributes
            TreeMap<Integer, TreeMap<Integer, String>> values = new TreeMap<>();
            NamedNodeMap attributes = segment.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                String name = attributes.item(i).getNodeName();
                if (name.startsWith(prefix)) {
                    String[] position = name.substring(prefix.length()).split("\\.r");
                    values.computeIfAbsent(position.length > 1 ? Integer.parseInt(position[1]) : 1, r -> new TreeMap<>())
                            .put(Integer.parseInt(position[0]), attributes.item(i).getNodeValue());
                }
            }
            List<String> out = new ArrayList<>();
            values.values().forEach(components -> out.addAll(components.values()));
            return out;
        }
    }
}
