package org.tradehub.declaration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.tradehub.ledger.Ids;

/** The LRN a transaction is declared with: the same on every attempt, and never another transaction's. */
class LrnTest {

    @Test
    void aTransactionMadeBeforeTimeOrderedIdsKeepsTheLrnItWasDeclaredWith() {
        // a retry of a declaration recorded before the change must carry the LRN the single window already has
        assertThat(Declarations.lrnFor("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")).isEqualTo("TH0F1E2D3C4B5A49688776");
    }

    @Test
    void aTimeOrderedTransactionIdGivesTwentyTwoCharactersFromItsRandomPart() {
        UUID id = new UUID(0x0193_9a4b_1c2d_7abcL, 0x9def_0123_4567_89abL);

        assertThat(Declarations.lrnFor(id.toString())).isEqualTo("TH7ABC9DEF0123456789AB");
        assertThat(Declarations.lrnFor(id.toString())).isEqualTo(Declarations.lrnFor(id.toString()));
    }

    @Test
    void transactionsMadeInTheSameMillisecondGetDifferentLrns() {
        Set<String> lrns = new HashSet<>();
        Set<Long> millis = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            UUID id = Ids.timeOrdered();
            millis.add(id.getMostSignificantBits() >>> 16);
            lrns.add(Declarations.lrnFor(id.toString()));
        }

        assertThat(millis.size()).as("many ids share a millisecond").isLessThan(20_000);
        assertThat(lrns).hasSize(20_000).allMatch(l -> l.matches("TH[0-9A-F]{20}"));
    }
}
