package io.relaytrace.relay;

import io.relaytrace.relay.format.FormatException;
import io.relaytrace.relay.format.MappedBufferDescriptor;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.relaytrace.relay.format.SubbufDescriptor.*;

/**
 * Follows a mapped buffer live, from any process: maps the file read-only and returns content as
 * the writer commits it, from the sub-buffer headers alone (the writer's counters live in its JVM).
 * <p>
 * Assumptions: the writer publishes, with release stores, each slot's Sub-buffer Sequence after
 * zeroing its Content Length, Content Length after the bytes on each commit, and Flags = FINISHED
 * after the final length; so a follower that reads them with acquire loads sees consistent states.
 * <p>
 * Guarantees: never returns uncommitted or torn content. If the writer laps the follower (it does
 * not wait for followers), the follower jumps to the oldest intact sub-buffer and counts the
 * sub-buffers it missed. Never blocks: {@link #poll} returns what is there.
 * <p>
 * Example:
 * <pre>{@code
 * try (MappedBufferFollower follower = MappedBufferFollower.open(dir.resolve("trace.buffer3.mmap"))) {
 *     ByteBuffer dst = ByteBuffer.allocate(1 << 16);
 *     while (running) { dst.clear(); if (follower.poll(dst) == 0) Thread.sleep(10); else consume(dst.flip()); }
 * }
 * }</pre>
 */
public final class MappedBufferFollower implements AutoCloseable
{
    private static final VarHandle INT_VIEW = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_VIEW = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_VIEW = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final FileChannel file;
    private final ByteBuffer memory;
    private final int bufferId;
    private final int subbufSize;
    private final int nSubbufs;
    private long sequence;
    private int offset;
    private long lostSubbufs;

    private MappedBufferFollower(final FileChannel file, final ByteBuffer memory, final int bufferId,
                                 final int subbufSize, final int nSubbufs)
    {
        this.file = file;
        this.memory = memory;
        this.bufferId = bufferId;
        this.subbufSize = subbufSize;
        this.nSubbufs = nSubbufs;
        this.sequence = oldestSequence();
    }

    /**
     * @param path a mapped buffer file ({@link MappedBufferDescriptor}).
     * @return a follower starting at the oldest sub-buffer in the file.
     * @throws IOException     if it cannot be mapped.
     * @throws FormatException if it is not a mapped buffer of a version this code knows, or is cut short.
     */
    public static MappedBufferFollower open(final Path path) throws IOException, FormatException
    {
        final FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
        try
        {
            final ByteBuffer whole = file.map(FileChannel.MapMode.READ_ONLY, 0, file.size()).order(ByteOrder.LITTLE_ENDIAN);
            MappedBufferDescriptor.check(whole);
            final int subbufSize = whole.getInt(MappedBufferDescriptor.SUBBUF_SIZE_OFFSET);
            final int nSubbufs = whole.getInt(MappedBufferDescriptor.N_SUBBUFS_OFFSET);
            final ByteBuffer memory = whole.slice(MappedBufferDescriptor.HEADER_LENGTH, whole.limit() -
                MappedBufferDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            return new MappedBufferFollower(file, memory, whole.getInt(MappedBufferDescriptor.BUFFER_ID_OFFSET),
                subbufSize, nSubbufs);
        }
        catch (final IOException | FormatException | RuntimeException ex)
        {
            file.close();
            throw ex;
        }
    }

    /**
     * Copies content committed since the last call, as much as fits.
     *
     * @param dst where to copy; its position advances.
     * @return bytes copied, 0 if nothing new.
     */
    public int poll(final ByteBuffer dst)
    {
        int total = 0;
        while (dst.hasRemaining())
        {
            final int base = (int)(sequence % nSubbufs) * subbufSize;
            final long seq = slotSequence(base);
            if (seq < sequence)
            {
                return total; // not entered yet
            }
            if (seq > sequence)
            {
                jumpToOldest();
                continue;
            }
            final boolean finished = ((short)SHORT_VIEW.getAcquire(memory, base + FLAGS_OFFSET) & FLAG_FINISHED) != 0;
            final int committed = (int)INT_VIEW.getAcquire(memory, base + CONTENT_LENGTH_OFFSET);
            final int count = Math.min(committed - offset, dst.remaining());
            if (count > 0)
            {
                final int mark = dst.position();
                dst.put(memory.slice(base + HEADER_LENGTH + offset, count));
                VarHandle.acquireFence();
                if (slotSequence(base) != sequence)
                {
                    dst.position(mark); // the writer re-entered the slot during the copy
                    continue;
                }
                offset += count;
                total += count;
            }
            if (finished && offset == committed)
            {
                sequence++;
                offset = 0;
                continue;
            }
            return total;
        }
        return total;
    }

    /** @return sub-buffers the writer overwrote before this follower read them. */
    public long lostSubbufs()
    {
        return lostSubbufs;
    }

    public int bufferId()
    {
        return bufferId;
    }

    private long slotSequence(final int base)
    {
        if (memory.getInt(base + MAGIC_OFFSET) != MAGIC)
        {
            return -1;
        }
        return (long)LONG_VIEW.getAcquire(memory, base + SEQUENCE_OFFSET);
    }

    private void jumpToOldest()
    {
        final long oldest = Math.max(sequence + 1, newestSequence() - nSubbufs + 1);
        lostSubbufs += oldest - sequence;
        sequence = oldest;
        offset = 0;
    }

    private long oldestSequence()
    {
        long oldest = Long.MAX_VALUE;
        for (int slot = 0; slot < nSubbufs; slot++)
        {
            final long seq = slotSequence(slot * subbufSize);
            if (seq >= 0)
            {
                oldest = Math.min(oldest, seq);
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : oldest;
    }

    private long newestSequence()
    {
        long newest = -1;
        for (int slot = 0; slot < nSubbufs; slot++)
        {
            newest = Math.max(newest, slotSequence(slot * subbufSize));
        }
        return newest;
    }

    @Override
    public void close() throws IOException
    {
        file.close();
    }
}
