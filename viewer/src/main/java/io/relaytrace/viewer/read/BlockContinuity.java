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
 * Example: {@code continuity.records(recordsOfLastBlock); continuity.enter(block); if (continuity.gap()) ...}
 */
final class BlockContinuity
{
    private boolean started;
    private long sequence;
    private long subbufEventsBefore;
    private long subbufRecords;
    private long contentEnd;
    private long refused;
    private boolean gap;

    /**
     * Moves to the scanner's current block of this buffer. Count the records of the block before
     * with {@link #records} first.
     *
     * @param block a scanner at one of this buffer's blocks.
     * @return events committed by the writer before this block that the blocks read so far lack
     *     (counted at the start of a sub-buffer only), 0 or more.
     */
    long enter(final BlockScanner block)
    {
        final long sequence = block.sequence();
        final boolean startsSubbuf = block.isFinal() || block.contentOffset() == 0 || !started || sequence != this.sequence;
        long lost = 0;
        boolean gap;
        if (startsSubbuf)
        {
            final long eventsBefore = block.eventsBefore();
            lost = Math.max(0, eventsBefore - (started ? subbufEventsBefore + subbufRecords : 0));
            // A continuation that starts what we have of a sub-buffer: its first part was lost.
            gap = lost > 0 || (!block.isFinal() && block.contentOffset() != 0);
            this.sequence = sequence;
            subbufEventsBefore = eventsBefore;
            subbufRecords = 0;
        }
        else
        {
            gap = block.contentOffset() != contentEnd;
        }
        final long refused = block.droppedBefore() + block.tooBigBefore();
        gap |= refused != this.refused;
        this.refused = refused;
        contentEnd = (long)block.contentOffset() + block.contentLength();
        started = true;
        this.gap = gap;
        return lost;
    }

    /** Adds the whole records read from the block entered last. */
    void records(final long records)
    {
        subbufRecords += records;
    }

    /** @return true if events of this buffer were lost between the blocks before and the block entered last. */
    boolean gap()
    {
        return gap;
    }
}
