package org.tradehub.ledger;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for every id the hub makes: receipts, transactions, documents, steps, boundaries.
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
}
