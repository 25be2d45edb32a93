package io.relaytrace.viewer.read;

import io.relaytrace.relay.format.SubbufDescriptor;

import java.util.ArrayList;
import java.util.List;

/**
 * What the validating pass learnt about one relay buffer from its blocks in one file: how many
 * blocks and records it has, how many events were lost between its blocks, its refused-event
 * totals, and where its blocks lie (so a later pass can replay just that range).
 * <p>
 * Lost events come from the Events Before field ({@link BlockContinuity}): a block that starts a
 * sub-buffer (Content Offset 0, or a sequence not seen before) or ends the buffer (final) says how
 * many events the writer had committed before it; whatever of those the blocks read so far do not
 * hold was lost (lapped, refused by a failing disk, or in a damaged block). Dropped, Too Big and Lost
 * Sub-buffers are running totals: the last block read holds the buffer's latest. A counter that goes
 * back or is negative is damage, reported as a problem of the block's file and kept out of the totals,
 * so that no total is ever negative.
 */
public final class BufferAccount
{
    private final int bufferId;
    private final String fileName;
    private final long carrierId;

    private long blocks;
    private long records;
    private long lost;
    private long dropped;
    private long tooBig;
    private long lostSubbufs;
    private boolean finalSeen;
    private final List<Segment> segments = new ArrayList<>(1);
    private long lastSequence = -1;
    private int lastContentEnd;
    private boolean lastFinished;

    private final BlockContinuity continuity = new BlockContinuity();
    private boolean hostsOtherThreads;

    BufferAccount(final int bufferId, final String fileName, final long carrierId)
    {
        this.bufferId = bufferId;
        this.fileName = fileName;
        this.carrierId = carrierId;
    }

    /**
     * @param accounts the accounts made so far, by buffer id.
     * @param scanner  at a block of the buffer.
     * @param report   the report of the file the block is in.
     * @return the buffer's account, made on its first block, then listed in that file's report.
     */
    static BufferAccount of(final LongObjectMap<BufferAccount> accounts, final BlockScanner scanner, final FileReport report)
    {
        BufferAccount account = accounts.get(scanner.bufferId());
        if (account == null)
        {
            account = new BufferAccount(scanner.bufferId(), report.name(), scanner.carrierId());
            accounts.put(scanner.bufferId(), account);
            report.mutableBuffers().add(account);
        }
        return account;
    }

    /**
     * A run of this buffer's blocks in one file (or in the blocks salvaged from its mapped file):
     * {@code [from, to)}, other buffers' blocks and damaged regions in between.
     */
    static final class Segment
    {
        final FileReport file;
        final long from;
        long to;

        Segment(final FileReport file, final long from, final long to)
        {
            this.file = file;
            this.from = from;
            this.to = to;
        }
    }

    /**
     * Accounts for the scanner's current block of {@code file}, holding {@code blockRecords} whole
     * records; {@code otherThread} if a THREAD record in it names a thread other than the carrier.
     */
    void add(final FileReport file, final BlockScanner block, final int blockRecords, final boolean otherThread)
    {
        final Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (last == null || last.file != file)
        {
            segments.add(new Segment(file, block.blockOffset(), block.blockEnd()));
        }
        else
        {
            last.to = block.blockEnd();
        }
        if (!block.isFinal())
        {
            lastSequence = block.sequence();
            lastContentEnd = block.contentOffset() + block.contentLength();
            lastFinished = (block.flags() & SubbufDescriptor.FLAG_FINISHED) != 0;
        }
        blocks++;
        records += blockRecords;
        lost = Counters.sum(lost, continuity.enter(block));
        continuity.records(blockRecords);
        dropped = continuity.dropped();
        tooBig = continuity.tooBig();
        lostSubbufs = continuity.lostSubbufs();
        final String wrong = continuity.wrongCounter();
        if (wrong != null)
        {
            file.mutableProblems().add(new Problem(Problem.Kind.DAMAGED, file.name(), block.blockOffset(),
                "block of buffer id=" + bufferId + ": " + wrong + "; ignored"));
        }
        if (block.isFinal())
        {
            finalSeen = true;
        }
        final long context = block.writerContext();
        if (otherThread || (context != 0 && context != carrierId))
        {
            hostsOtherThreads = true;
        }
    }

    public int bufferId()
    {
        return bufferId;
    }

    /** @return the file its blocks are in. */
    public String fileName()
    {
        return fileName;
    }

    /** @return the carrier thread's id, -1 for the global buffer. */
    public long carrierId()
    {
        return carrierId;
    }

    /** @return valid blocks read, the final block included. */
    public long blocks()
    {
        return blocks;
    }

    /** @return whole event records read (every type). */
    public long records()
    {
        return records;
    }

    /** @return events committed by the writer but not found in the file. */
    public long lost()
    {
        return lost;
    }

    /** @return events refused because the buffer was full or finalized, as last reported. */
    public long dropped()
    {
        return dropped;
    }

    /** @return events refused because they were larger than a sub-buffer, as last reported. */
    public long tooBig()
    {
        return tooBig;
    }

    /** @return sub-buffers lapped before the flusher read them, as last reported. */
    public long lostSubbufs()
    {
        return lostSubbufs;
    }

    /**
     * @return true if the buffer holds events of a thread other than its carrier: the carrier ran
     *     virtual threads, so events it lost may be theirs.
     */
    public boolean hostsOtherThreads()
    {
        return hostsOtherThreads;
    }

    /** @return true if the buffer's final block was read: nothing after it can be missing. */
    public boolean finalSeen()
    {
        return finalSeen;
    }

    /** @return where this buffer's blocks are, in the order they were read. */
    List<Segment> segments()
    {
        return segments;
    }

    /**
     * For salvaging a mapped buffer: how much of sub-buffer {@code sequence} the files already
     * hold. Sub-buffers before the last one read are taken as held (read or counted lost).
     *
     * @return the end of the content held, {@link Integer#MAX_VALUE} for all of it, 0 for none.
     */
    int contentEndOnDisk(final long sequence)
    {
        if (sequence < lastSequence)
        {
            return Integer.MAX_VALUE;
        }
        if (sequence == lastSequence)
        {
            return lastFinished ? Integer.MAX_VALUE : lastContentEnd;
        }
        return 0;
    }
}
