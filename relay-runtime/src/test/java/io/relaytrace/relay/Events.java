package io.relaytrace.relay;

import java.nio.ByteBuffer;

/** The tests' 16-byte event: writer id and sequence number, so order and loss can be checked exactly. */
final class Events
{
    static final int LENGTH = 16;

    private Events()
    {
    }

    static boolean write(final RelayBuffer buffer, final long writer, final long seq)
    {
        final int at = buffer.reserve(LENGTH);
        if (at == RelayBuffer.REFUSED)
        {
            return false;
        }
        final ByteBuffer memory = buffer.memory();
        memory.putLong(at, writer);
        memory.putLong(at + 8, seq);
        buffer.commit();
        return true;
    }

    static long writer(final ByteBuffer content, final int at)
    {
        return content.getLong(at);
    }

    static long seq(final ByteBuffer content, final int at)
    {
        return content.getLong(at + 8);
    }
}
