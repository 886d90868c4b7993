package org.tradehub.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The hub's ids are random version-4 UUIDs, distinct across threads, as UUID.randomUUID() made them. */
class IdsTest {

    @Test
    void idsAreVersionFourIetfUuidsThatParseBack() {
        UUID id = Ids.random();

        assertThat(id.version()).isEqualTo(4);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(UUID.fromString(id.toString())).isEqualTo(id);
    }

    @Test
    void idsMadeOnManyThreadsAtOnceNeverRepeat() throws Exception {
        Set<UUID> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    seen.add(Ids.random());
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(seen).hasSize(80_000);
        // every bit outside version and variant varies
        long msbOr = 0, msbAnd = -1, lsbOr = 0, lsbAnd = -1;
        for (UUID u : seen) {
            msbOr |= u.getMostSignificantBits();
            msbAnd &= u.getMostSignificantBits();
            lsbOr |= u.getLeastSignificantBits();
            lsbAnd &= u.getLeastSignificantBits();
        }
        assertThat(msbOr & ~msbAnd).isEqualTo(~0xF000L);
        assertThat(lsbOr & ~lsbAnd).isEqualTo(~(0xC000_0000_0000_0000L));
    }
}
