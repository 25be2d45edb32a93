package io.relaytrace.viewer.read;

/**
 * Follows the blocks of one relay buffer, in the order they are read, and tells at each block
 * whether the writer's events between it and the blocks before are all there. The validating
 * pass ({@link BufferAccount}) and the replay ({@link BufferEvents}) use the same rule.
 * <p>
 * A block loses nothing before it when:
 * <ul>
 *   <li>it starts a sub-buffer (Content Offset 0, a new sequence, or the final block) and its
 *       Events Before equals the previous sub-buffer's Events Before plus the records read from
 *       it (none before the first block); a difference is events lapped in overwrite mode, in a
 *       damaged or missing block, or never written to a full disk;</li>
 *   <li>it continues the sub-buffer of the block before exactly where that block ended (no
 *       continuation skipped as damaged), and a continuation does not start the buffer;</li>
 *   <li>its Dropped Before and Too Big Before are those of the block before (0 before the first):
 *       the writer refused nothing in between. A writer refuses only when it cannot enter the next
 *       sub-buffer, or once finalized, so refusals lie between one sub-buffer's last event and the
 *       next sub-buffer's first (or the end of the buffer).</li>
 * </ul>
 * A counter that goes back (Events Before below what the blocks before account for, a running total
 * below its last value or negative) cannot come from the writer: it is kept out of every total.
 * Example: {@code continuity.records(recordsOfLastBlock); continuity.enter(block); if (continuity.gap()) ...}
 */
final class BlockContinuity
{
    private boolean started;
    private long sequence;
    private long subbufEventsBefore;
    private long subbufRecords;
    private long contentEnd;
    private long dropped;
    private long tooBig;
    private long lostSubbufs;
    private boolean gap;
    private String wrongCounter;

    /**
     * Moves to the scanner's current block of this buffer. Count the records of the block before
     * with {@link #records} first.
     * <p>
     * The block's counters are running totals of one writer: they never go back and are never
     * negative. One that does (a corrupted field under a valid checksum) is damage: it is ignored,
     * the totals so far stay, {@link #wrongCounter()} says which and the block counts as a gap.
     *
     * @param block a scanner at one of this buffer's blocks.
     * @return events committed by the writer before this block that the blocks read so far lack
     *     (counted at the start of a sub-buffer only), 0 or more.
     */
    long enter(final BlockScanner block)
    {
        wrongCounter = null;
        final long sequence = block.sequence();
        final boolean startsSubbuf = block.isFinal() || block.contentOffset() == 0 || !started || sequence != this.sequence;
        long lost = 0;
        boolean gap;
        if (startsSubbuf)
        {
            final long eventsBefore = block.eventsBefore();
            final long held = started ? Counters.sum(subbufEventsBefore, subbufRecords) : 0;
            if (eventsBefore < held)
            {
                wrong("Events Before", eventsBefore, held);
                gap = true;
                subbufEventsBefore = held;
            }
            else
            {
                lost = eventsBefore - held;
                // A continuation that starts what we have of a sub-buffer: its first part was lost.
                gap = lost > 0 || (!block.isFinal() && block.contentOffset() != 0);
                subbufEventsBefore = eventsBefore;
            }
            this.sequence = sequence;
            subbufRecords = 0;
        }
        else
        {
            gap = block.contentOffset() != contentEnd;
        }
        final long dropped = block.droppedBefore();
        final long tooBig = block.tooBigBefore();
        final long lostSubbufs = block.lostSubbufsBefore();
        gap |= dropped != this.dropped || tooBig != this.tooBig;
        this.dropped = runningTotal("Dropped Before", dropped, this.dropped);
        this.tooBig = runningTotal("Too Big Before", tooBig, this.tooBig);
        this.lostSubbufs = runningTotal("Lost Sub-buffers Before", lostSubbufs, this.lostSubbufs);
        contentEnd = (long)block.contentOffset() + block.contentLength();
        started = true;
        this.gap = gap;
        return lost;
    }

    /** @return the new value of a running total, or the old one (0 or more) if the block's goes back. */
    private long runningTotal(final String field, final long value, final long before)
    {
        if (value < before)
        {
            wrong(field, value, before);
            return before;
        }
        return value;
    }

    private void wrong(final String field, final long value, final long least)
    {
        if (wrongCounter == null)
        {
            wrongCounter = field + "=" + value + " goes back from " + least + " (a running total of the buffer)";
        }
    }

    /** Adds the whole records read from the block entered last. */
    void records(final long records)
    {
        subbufRecords = Counters.sum(subbufRecords, records);
    }

    /** @return true if events of this buffer were lost between the blocks before and the block entered last. */
    boolean gap()
    {
        return gap;
    }

    /** @return the buffer's events dropped (buffer full) up to the block entered last, never negative. */
    long dropped()
    {
        return dropped;
    }

    /** @return the buffer's events too big for a sub-buffer up to the block entered last, never negative. */
    long tooBig()
    {
        return tooBig;
    }

    /** @return the buffer's sub-buffers lapped up to the block entered last, never negative. */
    long lostSubbufs()
    {
        return lostSubbufs;
    }

    /**
     * @return null if the counters of the block entered last are consistent with the blocks before,
     *     else the first that is not, in one line: the block is damaged (its counter is ignored).
     */
    String wrongCounter()
    {
        return wrongCounter;
    }
}
