package org.tradehub.edi;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@link EdiReader} reported about one interchange ({@link PayloadReport} splits a payload that carries
 * several): what the acknowledgement is built from. Messages
 * are kept (with their XML) because the interchange is size-limited before it is read; the reader itself streams.
 */
public final class InterchangeReport implements EdiHandler {

    private final List<EdiEnvelope> envelopes = new ArrayList<>(1);
    private final List<EdiMessage> messages = new ArrayList<>();
    /** Errors scoped to the interchange or a group (message errors travel with their message). */
    private final List<EdiError> envelopeErrors = new ArrayList<>();
    private EdiSummary summary;
    private String segmentsSha256;

    @Override
    public void onInterchange(EdiEnvelope envelope) {
        if (envelope != null) {
            envelopes.add(envelope);
        }
    }

    @Override
    public void onMessage(EdiMessage message) {
        messages.add(message);
    }

    @Override
    public void onInterchangeEnd(String segmentsSha256) {
        this.segmentsSha256 = segmentsSha256;
    }

    @Override
    public void onError(EdiError error) {
        if (error.scope() != EdiError.Scope.MESSAGE) {
            envelopeErrors.add(error);
        }
    }

    @Override
    public void onEnd(EdiSummary s) {
        summary = s;
    }

    /** The interchange header, or null when none could be read (garbage). */
    public EdiEnvelope envelope() {
        return envelopes.isEmpty() ? null : envelopes.get(0);
    }

    /** EDIFACT or X12; null when the payload is neither. */
    public String standard() {
        return envelope() == null ? null : envelope().standard();
    }

    public List<EdiMessage> messages() {
        return messages;
    }

    public List<EdiError> envelopeErrors() {
        return envelopeErrors;
    }

    public List<EdiError> interchangeErrors() {
        return envelopeErrors.stream().filter(e -> e.scope() == EdiError.Scope.INTERCHANGE).toList();
    }

    public List<EdiError> groupErrors(String groupRef) {
        return envelopeErrors.stream().filter(e -> e.scope() == EdiError.Scope.GROUP
                && (groupRef == null || groupRef.equals(e.messageRef()))).toList();
    }

    public EdiSummary summary() {
        return summary;
    }

    public int rejectedMessages() {
        return (int) messages.stream().filter(m -> !m.accepted()).count();
    }

    /**
     * What tells this interchange's content apart, for de-duplication: the key of its segments as the partner sent
     * them ({@link InterchangeKey}), the same for a resend alone or with others in one payload, whatever the hub's
     * own representation of it; null when it was not read to its trailer (garbage, truncated: then the payload's
     * own bytes are the content).
     */
    public String contentSha256() {
        return segmentsSha256;
    }
}
