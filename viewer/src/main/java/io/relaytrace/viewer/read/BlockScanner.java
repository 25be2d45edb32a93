package io.relaytrace.viewer.read;

import io.relaytrace.relay.format.Checksums;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

import static io.relaytrace.relay.format.SubbufDescriptor.*;

/**
 * Steps through the blocks of one trace file (a per-CPU file or the global file).
 * <p>
 * A <em>validating</em> scanner checks every block: magic, version, known flags, lengths within
 * the file and within the sub-buffer size of the trace header, and CRC32C. At a bad block it
 * resynchronises: it scans forward byte by byte for the next magic that starts a valid block,
 * and reports the whole skipped range as one {@link Problem} (a range that runs to the end of
 * the file because the file was cut inside a block is reported as incomplete, anything else as
 * damaged) and remembers it in a {@link DamagedRegions}.
 * <p>
 * A <em>replaying</em> scanner walks the same file again for one buffer, trusting the layout the
 * validating pass established: it jumps over the remembered damaged regions and reads only the
 * headers of other buffers' blocks, so that several replaying scanners (one per buffer
 * interleaved in the file) can walk a file at the cost of its headers.
 * <p>
 * The current block is read through the accessors, which index {@link #buffer()}; they are valid
 * until the next call to {@link #next()}. No allocation per block.
 * <p>
 * Example:
 * <pre>{@code
 * BlockScanner scanner = BlockScanner.validating(window, "trace.0", subbufSize, damaged, problems);
 * while (scanner.next()) {
 *     int contentFrom = scanner.contentIndex();
 *     ...
 * }
 * }</pre>
 */
final class BlockScanner
{
    private final FileWindow window;
    private final String fileName;
    private final int subbufSize;
    private final DamagedRegions damaged;
    private final List<Problem> problems;
    private final boolean validating;
    private final int bufferId;
    private final CRC32C crc = new CRC32C();
    /** The global buffer's id: its blocks, and only they, are in the global file. */
    static final int GLOBAL_BUFFER_ID = 0;

    private long position;
    private long end;
    private int nextRegion;
    private boolean truncation;

    private long blockOffset;
    private int index;

    private BlockScanner(
        final FileWindow window, final String fileName, final int subbufSize, final DamagedRegions damaged,
        final List<Problem> problems, final boolean validating, final int bufferId)
    {
        this.window = window;
        this.bufferId = bufferId;
        this.fileName = fileName;
        this.subbufSize = subbufSize;
        this.damaged = damaged;
        this.problems = problems;
        this.validating = validating;
        this.end = window.size();
    }

    /**
     * @param window     the file; its capacity at least {@code subbufSize}.
     * @param fileName   name used in problems.
     * @param subbufSize from the trace header: no block is longer.
     * @param damaged    receives the damaged regions found.
     * @param problems   receives one problem per damaged region.
     * @return a scanner positioned before the first block.
     */
    static BlockScanner validating(
        final FileWindow window, final String fileName, final int subbufSize, final DamagedRegions damaged,
        final List<Problem> problems)
    {
        return new BlockScanner(window, fileName, subbufSize, damaged, problems, true, -1);
    }

    /**
     * A validating scanner that starts at a block boundary found earlier, for a file that grows:
     * only what was appended since is read.
     *
     * @param from offset of the first block to validate.
     * @return a scanner positioned before {@code from}, validating to the window's size.
     */
    static BlockScanner validatingFrom(
        final FileWindow window, final String fileName, final int subbufSize, final DamagedRegions damaged,
        final List<Problem> problems, final long from)
    {
        final BlockScanner scanner = validating(window, fileName, subbufSize, damaged, problems);
        scanner.position = from;
        return scanner;
    }

    /**
     * @param window   the file, as it was when {@code damaged} was found.
     * @param damaged  the regions a validating pass over the file found.
     * @param bufferId the buffer whose blocks to return; others are stepped over by their headers.
     * @param from     offset of the first block to read (a block start found by the validating pass).
     * @param to       offset after the last block to read.
     * @return a scanner positioned before the block at {@code from}.
     */
    static BlockScanner replaying(
        final FileWindow window, final String fileName, final int subbufSize, final DamagedRegions damaged,
        final int bufferId, final long from, final long to)
    {
        final BlockScanner scanner = new BlockScanner(window, fileName, subbufSize, damaged, null, false, bufferId);
        scanner.position = from;
        scanner.end = Math.min(to, window.size());
        scanner.nextRegion = damaged.firstAtOrAfter(from);
        return scanner;
    }

    /**
     * Moves to the next block.
     *
     * @return true if there is one; false at the end of the file (or of the replayed range).
     * @throws IOException if the file cannot be read.
     */
    boolean next() throws IOException
    {
        return validating ? nextValidated() : nextReplayed();
    }

    private boolean nextReplayed() throws IOException
    {
        final DamagedRegions damaged = this.damaged;
        while (position < end)
        {
            while (nextRegion < damaged.count() && damaged.start(nextRegion) < position)
            {
                nextRegion++;
            }
            if (nextRegion < damaged.count() && damaged.start(nextRegion) == position)
            {
                position = damaged.end(nextRegion++);
                continue;
            }
            int at = window.ensure(position, HEADER_LENGTH);
            if (at < 0)
            {
                return false;
            }
            final int length = HEADER_LENGTH + window.buffer().getInt(at + CONTENT_LENGTH_OFFSET);
            if (window.buffer().getInt(at + BUFFER_ID_OFFSET) != bufferId)
            {
                position += length; // another buffer's block: its content is never read
                continue;
            }
            at = window.ensure(position, length);
            if (at < 0)
            {
                return false;
            }
            blockOffset = position;
            index = at;
            position += length;
            return true;
        }
        return false;
    }

    private boolean nextValidated() throws IOException
    {
        long damageStart = -1;
        String damageReason = null;
        boolean damageTruncation = false;
        long at = position;
        while (at < end)
        {
            final String wrong = check(at);
            if (wrong == null)
            {
                if (damageStart >= 0)
                {
                    report(damageStart, at, damageReason, false);
                }
                // check() left the whole block in the window.
                final int length = HEADER_LENGTH + window.buffer().getInt(window.ensure(at, HEADER_LENGTH) + CONTENT_LENGTH_OFFSET);
                blockOffset = at;
                index = window.ensure(at, length);
                position = at + length;
                return true;
            }
            if (damageStart < 0)
            {
                damageStart = at;
                damageReason = wrong;
                damageTruncation = truncation;
            }
            at = nextMagic(at + 1);
        }
        if (damageStart >= 0)
        {
            report(damageStart, end, damageReason, damageTruncation);
        }
        position = end;
        return false;
    }

    /** @return the next offset at or after {@code from} holding the magic, or the end of the file. */
    private long nextMagic(final long from) throws IOException
    {
        final ByteBuffer buffer = window.buffer();
        for (long at = from; at + 4 <= end; at++)
        {
            final int i = window.ensure(at, 4);
            if (buffer.getInt(i) == MAGIC)
            {
                return at;
            }
        }
        return end;
    }

    /**
     * @return null if a valid block starts at {@code at}, else why not; {@link #truncation} says
     *     whether the reason is that the file ends inside it.
     */
    private String check(final long at) throws IOException
    {
        truncation = false;
        final long left = end - at;
        final ByteBuffer buffer = window.buffer();
        if (left < 4)
        {
            truncation = true;
            return left + " bytes at the end of the file, too short for a block";
        }
        int i = window.ensure(at, 4);
        final int magic = buffer.getInt(i);
        if (magic != MAGIC)
        {
            return "bad magic 0x" + Integer.toHexString(magic) + " (expected 'RTSB')";
        }
        if (left < HEADER_LENGTH)
        {
            truncation = true;
            return "file ends inside a block header (" + left + " of " + HEADER_LENGTH + " bytes)";
        }
        i = window.ensure(at, HEADER_LENGTH);
        final short version = buffer.getShort(i + VERSION_OFFSET);
        if (version != VERSION)
        {
            return "block version=" + version + " is not supported (this reader knows version " + VERSION + ")";
        }
        final short flags = buffer.getShort(i + FLAGS_OFFSET);
        if ((flags & ~KNOWN_FLAGS) != 0)
        {
            return "unknown block flags=0x" + Integer.toHexString(flags & 0xFFFF);
        }
        final int contentLength = buffer.getInt(i + CONTENT_LENGTH_OFFSET);
        final int contentOffset = buffer.getInt(i + CONTENT_OFFSET_OFFSET);
        final int room = subbufSize - HEADER_LENGTH;
        if (contentLength < 0 || contentLength > room)
        {
            return "content length=" + contentLength + " outside 0.." + room + " (subbufSize=" + subbufSize + ")";
        }
        if (contentOffset < 0 || contentOffset > room - contentLength)
        {
            return "content offset=" + contentOffset + " with length=" + contentLength + " does not fit a sub-buffer of " +
                subbufSize;
        }
        if (left < HEADER_LENGTH + contentLength)
        {
            truncation = true;
            return "file ends inside a block: it needs " + (HEADER_LENGTH + contentLength) + " bytes, " + left + " remain";
        }
        i = window.ensure(at, HEADER_LENGTH + contentLength);
        final int stored = buffer.getInt(i + CRC_OFFSET);
        if (stored != Checksums.crc32c(crc, buffer, i, i + HEADER_LENGTH + contentLength, CRC_OFFSET))
        {
            return "block checksum mismatch";
        }
        return null;
    }

    private void report(final long from, final long to, final String reason, final boolean truncated)
    {
        damaged.add(from, to);
        final long skipped = to - from;
        if (truncated && to == window.size())
        {
            problems.add(new Problem(Problem.Kind.INCOMPLETE, fileName, from,
                "file truncated: " + reason + "; the last " + skipped + " bytes cannot be read"));
        }
        else
        {
            problems.add(new Problem(Problem.Kind.DAMAGED, fileName, from, reason + "; skipped " + skipped + " bytes " +
                (to == window.size() ? "to the end of the file" : "to the next valid block at offset " + to)));
        }
    }

    /**
     * Skips the current block if it is in the wrong file: the global file holds the global buffer's
     * blocks only (buffer id 0, definitions), a per-CPU file never holds them. Such a block (files
     * swapped or renamed, a corrupted buffer id with a valid checksum) would otherwise be read as the
     * wrong kind of records; it is reported as damage and remembered as a damaged region, so that
     * replaying scanners step over it too. Validating scanners only.
     *
     * @param global true if the file is the global file.
     * @return true if the block is misplaced and was skipped: do not read it.
     */
    boolean skipIfMisplaced(final boolean global)
    {
        final int bufferId = bufferId();
        if ((bufferId == GLOBAL_BUFFER_ID) == global)
        {
            return false;
        }
        final long end = blockEnd();
        damaged.add(blockOffset, end);
        problems.add(new Problem(Problem.Kind.DAMAGED, fileName, blockOffset, "block of buffer id=" + bufferId +
            " misplaced: " + (global ? "the global file holds blocks of buffer id=" + GLOBAL_BUFFER_ID + " only" :
            "buffer id=" + GLOBAL_BUFFER_ID + " is the global buffer, whose blocks belong in the global file") +
            "; skipped " + (end - blockOffset) + " bytes"));
        return true;
    }

    // ---- the current block ----

    /** @return the buffer the current block is in. */
    ByteBuffer buffer()
    {
        return window.buffer();
    }

    /** @return file offset of the current block's header. */
    long blockOffset()
    {
        return blockOffset;
    }

    /** @return file offset after the current block. */
    long blockEnd()
    {
        return blockOffset + HEADER_LENGTH + contentLength();
    }

    /** @return index of the first content byte in {@link #buffer()}. */
    int contentIndex()
    {
        return index + HEADER_LENGTH;
    }

    int contentLength()
    {
        return window.buffer().getInt(index + CONTENT_LENGTH_OFFSET);
    }

    int contentOffset()
    {
        return window.buffer().getInt(index + CONTENT_OFFSET_OFFSET);
    }

    short flags()
    {
        return window.buffer().getShort(index + FLAGS_OFFSET);
    }

    boolean isFinal()
    {
        return (flags() & FLAG_FINAL) != 0;
    }

    int bufferId()
    {
        return window.buffer().getInt(index + BUFFER_ID_OFFSET);
    }

    int cpuSlot()
    {
        return window.buffer().getInt(index + CPU_SLOT_OFFSET);
    }

    long carrierId()
    {
        return window.buffer().getLong(index + CARRIER_ID_OFFSET);
    }

    long sequence()
    {
        return window.buffer().getLong(index + SEQUENCE_OFFSET);
    }

    long firstTimestamp()
    {
        return window.buffer().getLong(index + FIRST_TIMESTAMP_OFFSET);
    }

    long writerContext()
    {
        return window.buffer().getLong(index + CONTEXT_OFFSET);
    }

    long eventsBefore()
    {
        return window.buffer().getLong(index + EVENTS_BEFORE_OFFSET);
    }

    long droppedBefore()
    {
        return window.buffer().getLong(index + DROPPED_BEFORE_OFFSET);
    }

    long tooBigBefore()
    {
        return window.buffer().getLong(index + TOO_BIG_BEFORE_OFFSET);
    }

    long lostSubbufsBefore()
    {
        return window.buffer().getLong(index + LOST_BEFORE_OFFSET);
    }

    String fileName()
    {
        return fileName;
    }
}
