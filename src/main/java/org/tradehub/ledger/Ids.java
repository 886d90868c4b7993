package org.tradehub.ledger;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * The hub's ids: {@link #timeOrdered()} for the keys of rows it records (receipts, transactions, documents, plan
 * steps), {@link #random()} for everything else (message ids, MIME boundaries, temporary files, references).
 *
 * <p>Why not {@link UUID#randomUUID()}: it draws from one NativePRNG for the whole process, whose reads of
 * /dev/urandom hold a process-wide lock. With hundreds of request and consumer threads making ids, JFR showed that
 * lock as the most contended monitor of the end-to-end benchmark after the JMS session cache. Here each thread has
 * its own DRBG (seeded from the system's entropy), so ids are as unpredictable and nothing is shared.
 */
public final class Ids {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(() -> {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    });

    private Ids() {
    }

    /** A random (version 4) UUID. */
    public static UUID random() {
        byte[] b = new byte[16];
        RANDOM.get().nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (b[i] & 0xff);
            lsb = (lsb << 8) | (b[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    /**
     * A version 7 UUID (RFC 9562): the current Unix time in milliseconds in its first 48 bits, then 74 random bits (as
     * unpredictable as {@link #random()}: a tenant still cannot guess another's ids, and no id is unique by its time).
     *
     * <p>Why for row keys: ids made one after another sort one after another, so a new row goes into the last page of
     * its primary key and of every index on the id, instead of a random page of each. With random ids every row dirtied
     * a random page of each such B-tree, which the embedded database then wrote out, and read back once evicted: its
     * page writes and reads took about a quarter of the hub's CPU in the end-to-end benchmark, and time-ordered ids
     * raised that benchmark's sustained throughput by 40-70%. PostgreSQL's B-trees gain the same way.
     */
    public static UUID timeOrdered() {
        byte[] b = new byte[10];
        RANDOM.get().nextBytes(b);
        long msb = (System.currentTimeMillis() << 16) | 0x7000L // version 7
                | ((b[0] & 0x0fL) << 8) | (b[1] & 0xffL);
        long lsb = 0;
        for (int i = 2; i < 10; i++) {
            lsb = (lsb << 8) | (b[i] & 0xff);
        }
        lsb = (lsb & 0x3fff_ffff_ffff_ffffL) | 0x8000_0000_0000_0000L; // IETF variant
        return new UUID(msb, lsb);
    }
}
