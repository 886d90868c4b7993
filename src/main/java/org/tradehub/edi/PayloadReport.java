package org.tradehub.edi;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link EdiReader} reported about one received payload, split per interchange: a payload may carry several
 * interchanges (UNB..UNZ, ISA..IEA one after the other), and each is de-duplicated and acknowledged on its own.
 * Errors met before any interchange header (garbage) make a part without an envelope.
 */
final class PayloadReport implements EdiHandler {

    private final List<InterchangeReport> parts = new ArrayList<>(1);
    private InterchangeReport current;

    @Override
    public void onInterchange(EdiEnvelope envelope) {
        current = new InterchangeReport();
        parts.add(current);
        current.onInterchange(envelope);
    }

    @Override
    public void onMessage(EdiMessage message) {
        current().onMessage(message);
    }

    @Override
    public void onInterchangeEnd(String segmentsSha256) {
        current().onInterchangeEnd(segmentsSha256);
    }

    @Override
    public void onError(EdiError error) {
        current().onError(error);
    }

    @Override
    public void onEnd(EdiSummary summary) {
        current().onEnd(summary);
    }

    private InterchangeReport current() {
        if (current == null) {
            onInterchange(null);
        }
        return current;
    }

    /** One report per interchange, in payload order; at least one. */
    List<InterchangeReport> parts() {
        current();
        return parts;
    }
}
