package org.tradehub.edi;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A BufferedInputStream whose single-byte read takes no lock while the buffer has bytes. StAEDI reads its input one
 * byte at a time through {@code read()}, and wraps any stream without mark support in a plain BufferedInputStream,
 * whose {@code read()} is synchronized: one lock per byte of the interchange, about a fifth of the reader's time.
 * The stream is read by one thread (the reader's), as StAEDI's own wrapper assumes too; refilling the buffer, mark
 * and reset stay BufferedInputStream's own.
 */
final class ByteReadStream extends BufferedInputStream {

    ByteReadStream(InputStream in, int size) {
        super(in, size);
    }

    @Override
    public int read() throws IOException {
        byte[] b = buf; // null once closed: the slow path then throws as BufferedInputStream does
        if (b != null && pos < count) {
            return b[pos++] & 0xFF;
        }
        return super.read();
    }
}
