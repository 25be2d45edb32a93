package io.relaytrace.viewer.read;

/**
 * What the validating pass learnt about one relay buffer from its blocks in one file: how many
 * blocks and records it has, how many events were lost between its blocks, its refused-event
 * totals, and where its blocks lie (so a later pass can replay just that range).
 * <p>
 * Lost events come from the Events Before field: a block that starts a sub-buffer (Content
 * Offset 0, or a sequence not seen before) or ends the buffer (final) says how many events the
 * writer had committed before it; whatever of those the blocks read so far do not hold was lost
 * (lapped, refused by a failing disk, or in a damaged block). Dropped, Too Big and Lost
 * Sub-buffers are running totals: the last block read holds the buffer's latest.
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
    private long firstBlockOffset = -1;
    private long lastBlockEnd;

    // The sub-buffer being read: its sequence, its Events Before, and the records seen in it.
    private boolean inSubbuf;
    private long sequence;
    private long subbufEventsBefore;
    private long subbufRecords;

    BufferAccount(final int bufferId, final String fileName, final long carrierId)
    {
        this.bufferId = bufferId;
        this.fileName = fileName;
        this.carrierId = carrierId;
    }

    /** Accounts for the scanner's current block, holding {@code blockRecords} whole records. */
    void add(final BlockScanner block, final int blockRecords)
    {
        if (firstBlockOffset < 0)
        {
            firstBlockOffset = block.blockOffset();
        }
        lastBlockEnd = block.blockEnd();
        blocks++;
        records += blockRecords;
        dropped = block.droppedBefore();
        tooBig = block.tooBigBefore();
        lostSubbufs = block.lostSubbufsBefore();

        final long sequence = block.sequence();
        if (block.isFinal() || block.contentOffset() == 0 || !inSubbuf || sequence != this.sequence)
        {
            final long eventsBefore = block.eventsBefore();
            final long gap = eventsBefore - (inSubbuf ? subbufEventsBefore + subbufRecords : 0);
            if (gap > 0)
            {
                lost += gap;
            }
            inSubbuf = true;
            this.sequence = sequence;
            subbufEventsBefore = eventsBefore;
            subbufRecords = blockRecords;
            if (block.isFinal())
            {
                finalSeen = true;
            }
        }
        else
        {
            subbufRecords += blockRecords;
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

    /** @return true if the buffer's final block was read: nothing after it can be missing. */
    public boolean finalSeen()
    {
        return finalSeen;
    }

    long firstBlockOffset()
    {
        return firstBlockOffset;
    }

    long lastBlockEnd()
    {
        return lastBlockEnd;
    }
}
