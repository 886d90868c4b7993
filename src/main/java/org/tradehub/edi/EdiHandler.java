package org.tradehub.edi;

/**
 * Callbacks of {@link EdiReader}. Called on the reading thread, in stream order: an interchange's
 * {@link #onInterchange}, then its messages and errors as they are met, and {@link #onEnd} once at the end of the
 * stream (also after a fatal error). Nothing is kept by the reader after a callback returns.
 */
public interface EdiHandler {

    /** The interchange header (UNB / ISA) has been read. Called again for each further interchange in the stream. */
    void onInterchange(EdiEnvelope envelope);

    /**
     * One business message (UNH..UNT / ST..SE). Called for every message, also for ones with errors:
     * {@link EdiMessage#accepted()} tells whether it may be mapped. Its errors were also passed to {@link #onError}.
     */
    void onMessage(EdiMessage message);

    /** A structural error, with its position, scoped to the interchange, a group or a message. */
    void onError(EdiError error);

    /**
     * The interchange's trailer (UNZ / IEA) has been read: {@code segmentsSha256} is the key of its segments as the
     * partner sent them ({@link InterchangeKey}). Not called for an interchange the reading stopped in.
     */
    default void onInterchangeEnd(String segmentsSha256) {
    }

    /** End of the stream. */
    void onEnd(EdiSummary summary);
}
