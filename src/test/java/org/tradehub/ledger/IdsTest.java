package org.tradehub.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/**
 * The hub's ids: random version-4 UUIDs, distinct across threads, as UUID.randomUUID() made them; and for row keys
 * version-7 UUIDs that sort in the order they were made and are as hard to guess.
 */
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
        Set<UUID> seen = madeOnEightThreadsAtOnce(Ids::random);

        assertThat(seen).hasSize(80_000);
        // every bit outside version and variant varies
        long[] varying = varyingBits(seen);
        assertThat(varying[0]).isEqualTo(~0xF000L);
        assertThat(varying[1]).isEqualTo(~(0xC000_0000_0000_0000L));
    }

    @Test
    void timeOrderedIdsAreVersionSevenUuidsCarryingTheirMillisecond() {
        long before = System.currentTimeMillis();
        UUID id = Ids.timeOrdered();
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(UUID.fromString(id.toString())).isEqualTo(id);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    void timeOrderedIdsSortAsTextInTheOrderOfTheirMilliseconds() throws Exception {
        String first = Ids.timeOrdered().toString();
        Thread.sleep(2);
        String second = Ids.timeOrdered().toString();
        Thread.sleep(2);
        String third = Ids.timeOrdered().toString();

        // the database compares the text of the id (varchar keys): that order must be the order they were made in
        assertThat(first).isLessThan(second);
        assertThat(second).isLessThan(third);
    }

    @Test
    void timeOrderedIdsMadeInTheSameMillisecondOnManyThreadsNeverRepeatAndKeepTheirRandomBitsRandom() throws Exception {
        Set<UUID> seen = madeOnEightThreadsAtOnce(Ids::timeOrdered);

        assertThat(seen).hasSize(80_000);
        // the 74 bits after the millisecond, outside version and variant, all vary
        long[] varying = varyingBits(seen);
        assertThat(varying[0] & 0xFFFFL).isEqualTo(0x0FFFL);
        assertThat(varying[1]).isEqualTo(~(0xC000_0000_0000_0000L));
    }

    /** 10,000 ids from each of 8 threads running at once. */
    private static Set<UUID> madeOnEightThreadsAtOnce(Supplier<UUID> ids) throws InterruptedException {
        Set<UUID> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    seen.add(ids.get());
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        return seen;
    }

    /** The bits that differ between some of the ids: most significant half, least significant half. */
    private static long[] varyingBits(Set<UUID> ids) {
        long msbOr = 0, msbAnd = -1, lsbOr = 0, lsbAnd = -1;
        for (UUID u : ids) {
            msbOr |= u.getMostSignificantBits();
            msbAnd &= u.getMostSignificantBits();
            lsbOr |= u.getLeastSignificantBits();
            lsbAnd &= u.getLeastSignificantBits();
        }
        return new long[] {msbOr & ~msbAnd, lsbOr & ~lsbAnd};
    }
}
