package org.tradehub.edi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Test handler that keeps everything the reader reported. */
final class Collected implements EdiHandler {
    final List<EdiEnvelope> envelopes = new ArrayList<>();
    final List<EdiMessage> messages = new ArrayList<>();
    final List<EdiError> errors = new ArrayList<>();
    EdiSummary summary;

    static Collected read(byte[] bytes) throws IOException {
        return read(new ByteArrayInputStream(bytes));
    }

    static Collected read(InputStream in) throws IOException {
        Collected c = new Collected();
        new EdiReader(java.util.Set.of("ORDERS", "850")).read(in, c);
        return c;
    }

    /** Reads with every message type allowed (acknowledgements, responses). */
    static Collected readAll(byte[] bytes) throws IOException {
        Collected c = new Collected();
        new EdiReader().read(new ByteArrayInputStream(bytes), c);
        return c;
    }

    @Override public void onInterchange(EdiEnvelope envelope) { envelopes.add(envelope); }
    @Override public void onMessage(EdiMessage message) { messages.add(message); }
    @Override public void onError(EdiError error) { errors.add(error); }
    @Override public void onEnd(EdiSummary s) { summary = s; }
}
