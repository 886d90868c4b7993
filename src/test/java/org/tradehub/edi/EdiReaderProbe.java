package org.tradehub.edi;

import java.io.IOException;
import java.util.List;

/** Lets tests of other packages read an interchange back with the hub's reader (all message types allowed). */
public final class EdiReaderProbe {

    public record Result(List<EdiMessage> messages, List<EdiError> errors, boolean complete) {
    }

    private EdiReaderProbe() {
    }

    public static Result read(byte[] interchange) throws IOException {
        Collected c = Collected.readAll(interchange);
        return new Result(c.messages, c.errors, c.summary.complete());
    }
}
