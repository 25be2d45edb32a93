package io.relaytrace.relay.format;

/**
 * The final totals of a channel that closed cleanly.
 *
 * @param closeNanoTime    {@code System.nanoTime()} at close.
 * @param events           events committed, every buffer.
 * @param dropped          events refused because a buffer was full or finalized.
 * @param tooBig           events refused because they exceeded a sub-buffer.
 * @param lostSubbufs      sub-buffers lapped before they were read.
 * @param unattributed     events refused because their carrier could not be found.
 * @param blocksNotWritten blocks that could not be written to the files.
 * @param buffers          buffers the channel ever had, the global one included.
 * @param failed           events the channel's client failed to record (an error inside its own
 *                         code, such as a stack overflow), counted by it through the channel; 0 in a
 *                         version 1 marker, which did not hold the count.
 */
public record ClosedMarker(
    long closeNanoTime,
    long events,
    long dropped,
    long tooBig,
    long lostSubbufs,
    long unattributed,
    long blocksNotWritten,
    int buffers,
    long failed)
{
}
