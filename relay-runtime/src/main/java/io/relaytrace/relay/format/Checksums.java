package io.relaytrace.relay.format;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** CRC32C over a range in which the checksum field itself reads as zero, as every file here stores it. */
public final class Checksums
{
    private static final ByteBuffer ZEROS = ByteBuffer.allocate(4);

    private Checksums()
    {
    }

    /**
     * CRC32C of {@code [from, to)} of {@code buffer}, the 4 bytes at {@code from + crcOffset}
     * counted as zero. Positions and limits of {@code buffer} are left alone.
     *
     * @param crc       a checksum to reuse.
     * @param buffer    the bytes.
     * @param from      first byte.
     * @param to        one past the last byte.
     * @param crcOffset where the checksum field is, relative to {@code from}.
     * @return the checksum as stored (low 32 bits).
     */
    public static int crc32c(
        final CRC32C crc, final ByteBuffer buffer, final int from, final int to, final int crcOffset)
    {
        crc.reset();
        final int crcAt = from + crcOffset;
        crc.update(buffer.duplicate().limit(crcAt).position(from));
        crc.update(ZEROS.duplicate());
        crc.update(buffer.duplicate().limit(to).position(crcAt + 4));
        return (int)crc.getValue();
    }

    /** As {@link #crc32c(CRC32C, ByteBuffer, int, int, int)} with a fresh checksum. */
    public static int crc32c(final ByteBuffer buffer, final int from, final int to, final int crcOffset)
    {
        return crc32c(new CRC32C(), buffer, from, to, crcOffset);
    }
}
