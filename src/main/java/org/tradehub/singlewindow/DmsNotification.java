package org.tradehub.singlewindow;

import java.time.Instant;
import java.util.List;

/**
 * One DMS notification (one Response of a notification message) as the hub's timeline needs it.
 *
 * @param functionCode   Response/FunctionCode as sent, e.g. "03"
 * @param name           HMRC's message name for the function code (DMSREJ ...), "UNKNOWN" when not known
 * @param eventType      timeline event type, e.g. DECLARATION_REJECTED (see {@link DmsFunction})
 * @param notificationId Response/FunctionalReferenceID: HMRC's id of this notification (not our LRN)
 * @param lrn            Declaration/FunctionalReferenceID: our LRN (DE 2/5); null when absent
 * @param mrn            Declaration/ID: the MRN customs assigned; null before one exists
 * @param issueDateTime  Response/IssueDateTime; null when absent or not in a DMS date format
 * @param errors         Error entries (DMSREJ), in document order
 * @param summary        a plain-language sentence for the firm
 */
public record DmsNotification(
        String functionCode,
        String name,
        String eventType,
        String notificationId,
        String lrn,
        String mrn,
        Instant issueDateTime,
        List<DmsError> errors,
        String summary) {

    /** CDS12003: the LRN (DE 2/5) has already been used recently (mappings/codelists/cds-error-codes.csv). */
    public static final String LRN_ALREADY_USED = "CDS12003";

    public DmsNotification {
        errors = List.copyOf(errors);
    }

    /**
     * A rejection whose only reason is that the single window already has a declaration with this LRN. The hub's LRN
     * is derived from the transaction and used for nothing else, so this refuses a repeat of the hub's own submission
     * (a retry after an answer that never came, or two attempts in flight at once), not the declaration itself.
     */
    public boolean refusesARepeatedLrn() {
        return "DECLARATION_REJECTED".equals(eventType) && !errors.isEmpty()
                && errors.stream().allMatch(e -> LRN_ALREADY_USED.equals(e.validationCode()));
    }

    /**
     * One Error of a notification.
     *
     * @param validationCode e.g. CDS12005
     * @param description    plain description of the code (from mappings/codelists/cds-error-codes.csv or generic)
     * @param pointer        the pointers as a compact path, e.g. "42A/17C R144" or "42A/67A/68A(2)/23A/21A"
     * @param location       the same path with class names, e.g. "Declaration > AuthorisationHolder [tag R144]"
     * @param goodsItem      the goods item number the error points at, or null for header-level errors
     */
    public record DmsError(String validationCode, String description, String pointer, String location, Integer goodsItem) {
    }
}
