package io.relaytrace.relay;

import java.nio.ByteBuffer;

/**
 * The 16-byte event the stress tests write, and the decoding of what a reader returned into one
 * number a jcstress outcome can name.
 * <p>
 * An event with value {@code v} (1..9) is {@code int v, int ~v, long v * MIX}: any mix of bytes
 * from two events, from an old sub-buffer, or from a slot that was reserved but not yet filled
 * (zeros) fails the check. A run of intact events decodes to their values as decimal digits in the
 * order read: events 1, 2, 3 give {@code 123}, nothing gives {@code 0}.
 * <p>
 * Example:
 * <pre>{@code
 * TestEvents.write(buffer, 5);           // on the writer
 * long code = TestEvents.decode(dst, 0, dst.position());   // on the reader: 5, or TORN
 * }</pre>
 */
final class TestEvents
{
    /** Bytes per event. */
    static final int LENGTH = 16;

    /** A range holding bytes that are not whole intact events. */
    static final long TORN = -1;

    private static final long MIX = 0x9E3779B97F4A7C15L;

    private TestEvents()
    {
    }

    /**
     * Writes event {@code value} the way the agent writes: reserve, fill in place with three
     * stores, commit.
     *
     * @param buffer the writer's buffer; the caller is its only writer.
     * @param value  1..9.
     * @return true if written, false if the buffer refused it (counted as dropped).
     */
    static boolean write(final RelayBuffer buffer, final int value)
    {
        final int at = buffer.reserve(LENGTH);
        if (at == RelayBuffer.REFUSED)
        {
            return false;
        }
        final ByteBuffer memory = buffer.memory();
        memory.putInt(at, value);
        memory.putInt(at + 4, ~value);
        memory.putLong(at + 8, value * MIX);
        buffer.commit();
        return true;
    }

    /**
     * Decodes events in {@code src[from, to)} and appends their digits to {@code code}.
     *
     * @param code what was decoded before (0 for none), or {@link #TORN}.
     * @param src  little-endian bytes.
     * @param from first byte.
     * @param to   after the last byte.
     * @return the longer code, or {@link #TORN} if any event is not intact.
     */
    static long append(final long code, final ByteBuffer src, final int from, final int to)
    {
        if (code == TORN || (to - from) % LENGTH != 0)
        {
            return TORN;
        }
        long result = code;
        for (int at = from; at < to; at += LENGTH)
        {
            final int value = src.getInt(at);
            if (value < 1 || value > 9 || src.getInt(at + 4) != ~value || src.getLong(at + 8) != value * MIX)
            {
                return TORN;
            }
            result = result * 10 + value;
        }
        return result;
    }

    /**
     * @param src  little-endian bytes.
     * @param from first byte.
     * @param to   after the last byte.
     * @return the events' digits, 0 for none, or {@link #TORN}.
     */
    static long decode(final ByteBuffer src, final int from, final int to)
    {
        return append(0, src, from, to);
    }
}
