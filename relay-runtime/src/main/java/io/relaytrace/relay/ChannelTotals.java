package io.relaytrace.relay;

/**
 * Counters of a whole channel, every buffer it ever had included.
 *
 * @param events           events committed.
 * @param dropped          events refused because a buffer was full (no-overwrite) or finalized.
 * @param tooBig           events refused because they exceeded a sub-buffer.
 * @param lostSubbufs      sub-buffers lapped before the reader got to them.
 * @param unattributed     events refused because no buffer could serve the writing thread.
 * @param blocksNotWritten blocks the flusher could not write to the files.
 * @param buffers          buffers the channel ever had, the global one included.
 */
public record ChannelTotals(
    long events,
    long dropped,
    long tooBig,
    long lostSubbufs,
    long unattributed,
    long blocksNotWritten,
    int buffers)
{
    /** @return the counters as {@code key=value} pairs, for status lines. */
    @Override
    public String toString()
    {
        return "events=" + events + " dropped=" + dropped + " tooBig=" + tooBig + " lostSubbufs=" + lostSubbufs +
            " unattributed=" + unattributed + " blocksNotWritten=" + blocksNotWritten + " buffers=" + buffers;
    }
}
