package io.relaytrace.relay;

/**
 * Counters of one buffer.
 *
 * @param bufferId     the buffer.
 * @param cpuSlot      its output file slot, -1 for the global buffer.
 * @param carrierId    its carrier's thread id, -1 for the global buffer.
 * @param produced     sub-buffers finished.
 * @param consumed     sub-buffers read.
 * @param events       events committed.
 * @param dropped      events refused because the buffer was full (no-overwrite) or finalized.
 * @param tooBig       events refused because they were larger than a sub-buffer's content.
 * @param lostSubbufs  sub-buffers lapped by the writer before the reader got to them.
 */
public record RelayStats(
    int bufferId,
    int cpuSlot,
    long carrierId,
    long produced,
    long consumed,
    long events,
    long dropped,
    long tooBig,
    long lostSubbufs)
{
}
