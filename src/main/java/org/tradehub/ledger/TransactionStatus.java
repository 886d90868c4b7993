package org.tradehub.ledger;

/** Where a trade transaction stands. The timeline says how it got there. */
public final class TransactionStatus {
    /** Not a usable order: reasons on the timeline, raw body kept for replay. */
    public static final String REJECTED = "REJECTED";
    /** A valid canonical transaction; its documents are on their way. */
    public static final String ACCEPTED = "ACCEPTED";
    public static final String DECLARATION_SUBMITTED = "DECLARATION_SUBMITTED";
    public static final String DECLARATION_ACCEPTED = "DECLARATION_ACCEPTED";
    public static final String DECLARATION_REJECTED = "DECLARATION_REJECTED";
    /** The single window could not be reached after every retry; the submission is parked for replay. */
    public static final String DECLARATION_FAILED = "DECLARATION_FAILED";
    public static final String UNDER_CUSTOMS_CONTROL = "UNDER_CUSTOMS_CONTROL";
    public static final String CLEARED = "CLEARED";
    public static final String EXITED = "EXITED";

    private TransactionStatus() {
    }
}
