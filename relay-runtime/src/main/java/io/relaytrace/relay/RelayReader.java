package io.relaytrace.relay;

import io.relaytrace.relay.clock.TraceClock;
import io.relaytrace.relay.format.Checksums;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

import static io.relaytrace.relay.format.SubbufDescriptor.*;

/**
 * Reads one buffer, as the kernel's {@code relay_file_read}: never blocks, returns what is there,
 * skips headers and padding, consumes whole sub-buffers as it passes them, and returns committed
 * partial data of the sub-buffer being written. The read position derives only from the buffer's
 * {@code consumed} count and {@code bytesConsumed}, both kept on the buffer, so readers taking
 * turns see one position.
 * <p>
 * Assumptions: one reader per buffer at a time; a channel whose files are set up is read by its
 * flusher, so use a {@code RelayReader} on a channel without files (or on a mapped buffer from a
 * recovery tool).
 * <p>
 * Guarantees: never returns a reserved slot that is not committed, and never returns torn data in
 * overwrite mode: a sub-buffer that the writer re-entered while it was being copied is discarded
 * and counted as lost, and the reader jumps to the oldest sub-buffer still intact.
 * <p>
 * Example:
 * <pre>{@code
 * RelayReader reader = new RelayReader(buffer);
 * ByteBuffer dst = ByteBuffer.allocate(64 * 1024);
 * while (reader.poll(100, TimeUnit.MILLISECONDS) != RelayReader.Poll.FINALIZED) {
 *     dst.clear();
 *     if (reader.read(dst) > 0) { dst.flip(); consume(dst); }
 * }
 * }</pre>
 */
public final class RelayReader
{
    /** What {@link #poll} saw. */
    public enum Poll
    {
        /** A finished sub-buffer is unread. */
        DATA,
        /** Nothing finished arrived within the timeout. */
        TIMEOUT,
        /** The buffer is finalized and everything in it was read. */
        FINALIZED
    }

    private final RelayBuffer buffer;
    private final int subbufSize;
    private final int nSubbufs;

    // The range located by locate(): sub-buffer sequence, and content offsets [start, end).
    private long seq;
    private int start;
    private int end;
    private boolean finished;

    /**
     * @param buffer the buffer to read.
     */
    public RelayReader(final RelayBuffer buffer)
    {
        this.buffer = buffer;
        this.subbufSize = buffer.subbufSize();
        this.nSubbufs = buffer.nSubbufs();
    }

    /**
     * Copies available content into {@code dst}, as much as fits.
     *
     * @param dst where to copy; its position advances.
     * @return bytes copied; 0 if nothing is available now; -1 once the buffer is finalized and
     *     everything in it was read.
     */
    public int read(final ByteBuffer dst)
    {
        int total = 0;
        while (dst.hasRemaining() && locate(true))
        {
            final int count = Math.min(end - start, dst.remaining());
            final int mark = dst.position();
            final ByteBuffer memory = buffer.memory();
            dst.put(memory.slice(slotBase() + HEADER_LENGTH + start, count));
            if (lapped())
            {
                dst.position(mark);
                continue;
            }
            total += count;
            advance(start + count);
        }
        if (total == 0 && buffer.isFinalized() && !locate(true))
        {
            return -1;
        }
        return total;
    }

    /**
     * @return content bytes readable now in the sub-buffer at the read position (0 if none).
     */
    public int subbufAvail()
    {
        return locate(true) ? end - start : 0;
    }

    /**
     * The kernel's {@code relay_file_read_start_pos}: where the next read starts, moved past
     * padding and headers to the next sub-buffer's content where needed.
     *
     * @return an absolute index in the buffer's memory.
     */
    public int readStartPos()
    {
        final long consumed = buffer.subbufsConsumed();
        final int slot = (int)(consumed % nSubbufs);
        final int bytesConsumed = buffer.bytesConsumed();
        final boolean finishedSubbuf = consumed < buffer.producedAcquire();
        if (finishedSubbuf && bytesConsumed >= subbufSize - HEADER_LENGTH - buffer.padding(slot))
        {
            return ((slot + 1) % nSubbufs) * subbufSize + HEADER_LENGTH;
        }
        return slot * subbufSize + HEADER_LENGTH + bytesConsumed;
    }

    /**
     * The kernel's {@code relay_file_read_end_pos}: where a read of {@code count} bytes from
     * {@code readPos} ends, within one sub-buffer.
     *
     * @param readPos a position from {@link #readStartPos()}.
     * @param count   bytes read.
     * @return the absolute index after them, wrapping at the end of the buffer.
     */
    public int readEndPos(final int readPos, final int count)
    {
        final int end = readPos + count;
        return end >= subbufSize * nSubbufs ? end - subbufSize * nSubbufs : end;
    }

    /**
     * Waits for a finished sub-buffer. The writer never wakes anyone: it marks that a reader is
     * due, and the channel's flusher delivers the wake-up (deferred, as in the kernel); a reader
     * without a running flusher rechecks every millisecond.
     *
     * @param timeout how long to wait at most.
     * @param unit    its unit.
     * @return what was seen.
     */
    public Poll poll(final long timeout, final TimeUnit unit)
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        final RelayChannel channel = buffer.channel();
        channel.addWaiter(Thread.currentThread());
        try
        {
            while (true)
            {
                if (!buffer.isEmpty())
                {
                    return Poll.DATA;
                }
                if (buffer.isFinalized())
                {
                    return locate(true) ? Poll.DATA : Poll.FINALIZED;
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0)
                {
                    return Poll.TIMEOUT;
                }
                LockSupport.parkNanos(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(1)));
            }
        }
        finally
        {
            channel.removeWaiter(Thread.currentThread());
        }
    }

    /**
     * Copies the next block (header, then the content range) into {@code dst} for a file: the
     * header is rewritten to describe the block, and its CRC32C set.
     *
     * @param dst     room for a whole sub-buffer; cleared and filled up to its limit.
     * @param partial whether committed data of the sub-buffer being written may be taken.
     * @param crc     a reusable checksum.
     * @return true if a block was copied.
     */
    boolean readBlock(final ByteBuffer dst, final boolean partial, final CRC32C crc)
    {
        while (locate(partial))
        {
            final ByteBuffer memory = buffer.memory();
            final int base = slotBase();
            final int length = end - start;
            dst.clear();
            dst.put(0, memory, base, HEADER_LENGTH);
            dst.put(HEADER_LENGTH, memory, base + HEADER_LENGTH + start, length);
            if (lapped())
            {
                continue;
            }
            final boolean ends = finished;
            dst.putShort(FLAGS_OFFSET, ends ? FLAG_FINISHED : 0);
            if (!ends)
            {
                dst.putLong(LAST_TIMESTAMP_OFFSET, TraceClock.now());
            }
            dst.putLong(LOST_BEFORE_OFFSET, buffer.lostSubbufs());
            dst.putInt(CONTENT_OFFSET_OFFSET, start);
            dst.putInt(CONTENT_LENGTH_OFFSET, length);
            dst.putInt(PADDING_OFFSET, ends ? subbufSize - HEADER_LENGTH - end : 0);
            dst.limit(HEADER_LENGTH + length);
            seal(dst, crc);
            advance(end);
            return true;
        }
        return false;
    }

    /**
     * Sets a block's CRC32C: over the header with the CRC field zero, then the content.
     *
     * @param block a block from position 0 to its limit.
     * @param crc   a reusable checksum.
     */
    static void seal(final ByteBuffer block, final CRC32C crc)
    {
        block.putInt(CRC_OFFSET, Checksums.crc32c(crc, block, 0, block.limit(), CRC_OFFSET));
    }

    /**
     * Finds the next range to read at the read position: [start, end) of sub-buffer {@code seq}.
     * Jumps over lapped sub-buffers (counted lost), and consumes finished sub-buffers already read
     * to their end.
     */
    private boolean locate(final boolean partial)
    {
        final RelayBuffer buffer = this.buffer;
        final int n = nSubbufs;
        while (true)
        {
            long consumed = buffer.subbufsConsumed();
            final long entered = buffer.enteredAcquire();
            if (entered >= consumed + n)
            {
                final long oldestIntact = entered - n + 1;
                buffer.addLost(oldestIntact - consumed);
                buffer.consumedRelease(oldestIntact);
                buffer.bytesConsumed(0);
                consumed = oldestIntact;
            }

            final long produced = buffer.producedAcquire();
            final int slot = (int)(consumed % n);
            final int bytesConsumed = buffer.bytesConsumed();
            seq = consumed;
            start = bytesConsumed;
            if (consumed < produced)
            {
                finished = true;
                end = subbufSize - HEADER_LENGTH - buffer.padding(slot);
                if (end > start || bytesConsumed == 0)
                {
                    return true;
                }
                advance(end);
                continue;
            }
            // The writer publishes `entered` before it rewrites the slot's header; until the header
            // carries this sequence, its length may still be the previous occupant's.
            if (!partial || consumed != entered || buffer.slotSequence(slot) != consumed)
            {
                return false;
            }
            finished = false;
            end = buffer.committedLength(slot);
            return end > start;
        }
    }

    /** The copy just made is torn if the writer entered the slot's next occupant meanwhile. */
    private boolean lapped()
    {
        java.lang.invoke.VarHandle.acquireFence();
        return buffer.enteredAcquire() >= seq + nSubbufs;
    }

    /**
     * Moves the read position after a copy that passed the lap check. Compares with the {@code end}
     * that {@link #locate} read before the copy: the slot's padding may since belong to the
     * writer's next occupant.
     */
    private void advance(final int newStart)
    {
        if (finished && newStart >= end)
        {
            buffer.consumedRelease(seq + 1);
            buffer.bytesConsumed(0);
        }
        else
        {
            buffer.bytesConsumed(newStart);
        }
    }

    private int slotBase()
    {
        return (int)(seq % nSubbufs) * subbufSize;
    }
}
