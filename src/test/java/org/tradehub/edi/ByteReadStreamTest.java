package org.tradehub.edi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** ByteReadStream reads what BufferedInputStream reads, across buffer refills, with mark/reset and after close. */
class ByteReadStreamTest {

    @Test
    void singleBytesBlocksMarkAndResetAcrossRefills() throws IOException {
        byte[] data = new byte[10_000];
        new Random(7).nextBytes(data);
        ByteReadStream in = new ByteReadStream(new ByteArrayInputStream(data), 64); // many refills
        assertTrue(in.markSupported(), "StAEDI wraps a stream without mark support in a synchronized one");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int offset = 0;
        Random steps = new Random(11);
        while (offset < data.length) {
            if (steps.nextInt(5) == 0) {
                // read ahead past the buffer's end and go back, as StAEDI does for a header
                in.mark(200);
                byte[] ahead = in.readNBytes(150);
                in.reset();
                assertArrayEquals(Arrays.copyOfRange(data, offset, offset + ahead.length), ahead);
            }
            if (steps.nextBoolean()) {
                int b = in.read();
                assertEquals(data[offset] & 0xFF, b, "byte " + offset);
                out.write(b);
                offset++;
            } else {
                byte[] block = new byte[steps.nextInt(100) + 1];
                int n = in.read(block, 0, block.length);
                out.write(block, 0, n);
                offset += n;
            }
        }
        assertEquals(-1, in.read());
        assertArrayEquals(data, out.toByteArray());
        in.close();
        assertThrows(IOException.class, in::read);
    }
}
