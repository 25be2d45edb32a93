package io.relaytrace.viewer.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static io.relaytrace.viewer.export.CtfMetadata.*;

/**
 * One CTF data stream file: a sequence of packets as {@link CtfMetadata} describes them. Events
 * are appended to the current packet; a packet is written when the next event would not fit
 * (or at {@link #close()}), its context then filled with its first and last timestamps and its
 * size.
 * <p>
 * Assumptions: events come in non-decreasing clock order; an earlier one is stamped with the
 * latest clock value written so far, since a CTF stream's clock may not go back. Guarantees:
 * every packet holds at least one event; an event larger than a packet gets a packet of its own.
 */
final class CtfStream implements AutoCloseable
{
    private static final int PACKET_CAPACITY = 64 * 1024;

    private final FileChannel channel;
    private final int cpuId;
    private ByteBuffer packet = newPacket(PACKET_CAPACITY);
    private long packetBegin;
    private long lastClock;
    private int packetEvents;

    CtfStream(final Path file, final int cpuId) throws IOException
    {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.cpuId = cpuId;
    }

    private static ByteBuffer newPacket(final int capacity)
    {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN).position(PACKET_PREAMBLE_LENGTH);
    }

    /**
     * Appends one event.
     *
     * @param eventId   {@link CtfMetadata#METHOD_ENTRY}, {@code METHOD_EXIT} or {@code METHOD_EXCEPTION}.
     * @param clock     its clock value (ns since the clock's zero).
     * @param method    the method, as {@link #cString} encodes it.
     * @param thread    the thread's name, as {@link #cString} encodes it.
     * @param exception the exception class for {@code METHOD_EXCEPTION} as {@link #cString} encodes it, else null.
     */
    void event(
        final int eventId, final long clock, final byte[] method, final long threadId, final byte[] thread,
        final boolean virtual, final long carrierId, final byte[] exception) throws IOException
    {
        final long stamp = Math.max(clock, lastClock);
        final int length = 4 + 8 + method.length + 8 + thread.length + 1 + 8 + (exception == null ? 0 : exception.length);
        if (packet.remaining() < length)
        {
            if (packetEvents > 0)
            {
                writePacket();
            }
            if (packet.capacity() < PACKET_PREAMBLE_LENGTH + length)
            {
                packet = newPacket(PACKET_PREAMBLE_LENGTH + length);
            }
        }
        if (packetEvents == 0)
        {
            packetBegin = stamp;
        }
        final ByteBuffer packet = this.packet;
        packet.putInt(eventId).putLong(stamp);
        packet.put(method);
        packet.putLong(threadId);
        packet.put(thread);
        packet.put((byte)(virtual ? 1 : 0));
        packet.putLong(carrierId);
        if (exception != null)
        {
            packet.put(exception);
        }
        packetEvents++;
        lastClock = stamp;
    }

    /**
     * @return the bytes of a CTF string: UTF-8 and a terminating NUL. A NUL inside would end the
     *     string early, so it becomes U+FFFD. Callers keep the result per name: no allocation per event.
     */
    static byte[] cString(final String value)
    {
        final byte[] utf8 = (value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD')).getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(utf8, utf8.length + 1);
    }

    private void writePacket() throws IOException
    {
        final ByteBuffer packet = this.packet;
        final int size = packet.position();
        packet.putInt(0, MAGIC);
        packet.putInt(4, STREAM_ID);
        packet.putLong(TIMESTAMP_BEGIN_OFFSET, packetBegin);
        packet.putLong(TIMESTAMP_END_OFFSET, lastClock);
        packet.putLong(CONTENT_SIZE_OFFSET, size * 8L);
        packet.putLong(PACKET_SIZE_OFFSET, size * 8L);
        packet.putInt(CPU_ID_OFFSET, cpuId);
        packet.flip();
        while (packet.hasRemaining())
        {
            channel.write(packet);
        }
        if (packet.capacity() > PACKET_CAPACITY)
        {
            this.packet = newPacket(PACKET_CAPACITY);
        }
        else
        {
            packet.clear().position(PACKET_PREAMBLE_LENGTH);
        }
        packetEvents = 0;
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            if (packetEvents > 0)
            {
                writePacket();
            }
        }
        finally
        {
            channel.close();
        }
    }
}
