package io.relaytrace.viewer.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * A window of a file held in one reusable little-endian buffer, refilled with large positional
 * reads. Readers ask for a byte range; the window answers where it lies in {@link #buffer()},
 * reading from the file only when the range is outside what it holds.
 * <p>
 * Assumptions: the file does not change while it is read, or only grows (see {@link #extend}); a range asked for is never longer
 * than the window's capacity. Guarantees: the buffer is never larger than the file (its size as
 * last known) nor than the capacity asked for, whatever a header says a block may be (a hostile
 * header's sub-buffer size of 1 GiB does not allocate 1 GiB for a file of 1 KB); no allocation
 * after construction, but for a growing file's, which doubles at most up to the capacity.
 */
final class FileWindow
{
    private final FileChannel channel;
    private long size;
    private ByteBuffer buffer;
    private final int capacity;
    private final int readAhead;
    private long start;
    private int length;

    /**
     * @param channel   the open file.
     * @param size      its size, read once.
     * @param capacity  bytes held at a time; at least the longest range any caller asks for.
     * @param readAhead bytes read at least when the window moves (at most the capacity): the
     *                  capacity for a sequential pass; less for a reader that skips most blocks,
     *                  so that it reads headers without the contents it skips.
     */
    FileWindow(final FileChannel channel, final long size, final int capacity, final int readAhead)
    {
        this.channel = channel;
        this.size = size;
        this.capacity = capacity;
        this.buffer = allocate((int)Math.min(capacity, size));
        this.readAhead = Math.min(readAhead, capacity);
    }

    private static ByteBuffer allocate(final int capacity)
    {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A window over bytes already in memory (blocks salvaged from a mapped buffer): it holds them
     * all and never reads.
     *
     * @param bytes the whole "file", from index 0 to its limit.
     */
    FileWindow(final ByteBuffer bytes)
    {
        this.channel = null;
        this.size = bytes.limit();
        this.capacity = bytes.limit();
        this.buffer = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.readAhead = 0;
        this.length = bytes.limit();
    }

    /**
     * The file grew (it is being written): bytes up to {@code size} may now be asked for. What
     * the window holds stays valid, since a trace file is only ever appended to, unless its buffer
     * must grow to hold the longer ranges the file may now have: it then at least doubles, up to
     * the capacity, and is refilled when next asked.
     */
    void extend(final long size)
    {
        this.size = Math.max(this.size, size);
        final int needed = (int)Math.min(capacity, this.size);
        if (buffer.capacity() < needed)
        {
            buffer = allocate((int)Math.min(capacity, Math.max(needed, 2L * buffer.capacity())));
            start = 0;
            length = 0;
        }
    }

    /** @return the file's size in bytes. */
    long size()
    {
        return size;
    }

    /** @return the buffer the window's bytes are in; index them with what {@link #ensure} returns. */
    ByteBuffer buffer()
    {
        return buffer;
    }

    /**
     * Makes {@code [position, position + count)} of the file readable in {@link #buffer()}.
     *
     * @param position file offset of the first byte.
     * @param count    bytes needed, at most the capacity.
     * @return the index of {@code position} in the buffer, or -1 if the range runs past the end
     *     of the file.
     * @throws IOException if the file cannot be read.
     */
    int ensure(final long position, final int count) throws IOException
    {
        if (position + count > size)
        {
            return -1;
        }
        final long start = this.start;
        if (position >= start && position + count <= start + length)
        {
            return (int)(position - start);
        }
        return fill(position, count) >= count ? 0 : -1;
    }

    /** @return the bytes now held from {@code position}: fewer than asked if the file shrank. */
    private int fill(final long position, final int count) throws IOException
    {
        final ByteBuffer buffer = this.buffer;
        final int want = (int)Math.min(Math.min(Math.max(count, readAhead), buffer.capacity()), size - position);
        buffer.clear().limit(want);
        while (buffer.hasRemaining())
        {
            final int read = channel.read(buffer, position + buffer.position());
            if (read < 0)
            {
                break;
            }
        }
        this.start = position;
        this.length = buffer.position();
        buffer.clear();
        return length;
    }
}
