package org.tradehub.singlewindow;

import java.util.Arrays;
import java.util.Optional;

/**
 * DMS notification function codes, HMRC's message names and the hub's timeline event types.
 * Meanings follow the comments in HMRC's example notifications (src/test/resources/hmrc-cds/examples).
 */
public enum DmsFunction {
    ACCEPTED("01", "DMSACC", "DECLARATION_ACCEPTED"),
    RECEIVED("02", "DMSRCV", "DECLARATION_RECEIVED"),
    REJECTED("03", "DMSREJ", "DECLARATION_REJECTED"),
    CONTROL("05", "DMSCTL", "DECLARATION_UNDER_CONTROL"),
    DOCUMENTS_REQUIRED("06", "DMSDOC", "DECLARATION_UNDER_CONTROL"),
    CORRECTED_BY_CUSTOMS("07", "DMSRES", "DECLARATION_CORRECTED"),
    RELEASED("08", "DMSROG", "GOODS_RELEASED"),
    CLEARED("09", "DMSCLE", "DECLARATION_CLEARED"),
    INVALIDATED("10", "DMSINV", "DECLARATION_INVALIDATED"),
    REQUEST_ACCEPTED("11", "DMSREQ", "REQUEST_ACCEPTED"),
    TAX_CALCULATED("13", "DMSTAX", "DUTY_CALCULATED"),
    PAYMENT_INSUFFICIENT("14", "DMSCPI", "PAYMENT_INSUFFICIENT"),
    PAYMENT_REMINDER("15", "DMSCPR", "PAYMENT_REMINDER"),
    EXITED("16", "DMSEOG", "GOODS_EXITED"),
    // HMRC's sample 17_DMSGER.xml carries function code 18; its meaning is not documented in the samples.
    GER("18", "DMSGER", "EXIT_NOTICE");

    /** Event type for function codes we do not know: recorded, never dropped. */
    public static final String UNKNOWN_EVENT = "NOTIFICATION_RECEIVED";

    private final String code;
    private final String messageName;
    private final String eventType;

    DmsFunction(String code, String messageName, String eventType) {
        this.code = code;
        this.messageName = messageName;
        this.eventType = eventType;
    }

    public String code() {
        return code;
    }

    public String messageName() {
        return messageName;
    }

    public String eventType() {
        return eventType;
    }

    /** Looks a function code up; "1" and "01" are the same code. */
    public static Optional<DmsFunction> of(String functionCode) {
        if (functionCode == null || functionCode.isBlank()) {
            return Optional.empty();
        }
        String normalised = functionCode.strip().length() == 1 ? "0" + functionCode.strip() : functionCode.strip();
        return Arrays.stream(values()).filter(f -> f.code.equals(normalised)).findFirst();
    }
}
