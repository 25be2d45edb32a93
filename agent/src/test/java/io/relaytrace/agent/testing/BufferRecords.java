package io.relaytrace.agent.testing;

import io.relaytrace.event.EventDescriptor;
import io.relaytrace.relay.RelayBuffer;
import io.relaytrace.relay.RelayReader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** The tests' view of what a recorder wrote: the records committed to a buffer, read with a real reader. */
public final class BufferRecords
{
    private BufferRecords()
    {
    }

    /**
     * @param buffer a buffer holding at most 1 MiB of committed records.
     * @return every record committed to it so far, each as a little-endian buffer of its own bytes.
     */
    public static List<ByteBuffer> of(final RelayBuffer buffer)
    {
        final ByteBuffer content = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        new RelayReader(buffer).read(content);
        content.flip();
        final List<ByteBuffer> records = new ArrayList<>();
        while (content.hasRemaining())
        {
            final int length = EventDescriptor.length(content.getInt(content.position()));
            records.add(content.slice(content.position(), length).order(ByteOrder.LITTLE_ENDIAN));
            content.position(content.position() + length);
        }
        return records;
    }
}
