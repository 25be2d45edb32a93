package io.relaytrace.relay;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a client of a {@link RelayChannel} decides, as in the kernel's {@code rchan_callbacks}.
 * Every method has a default, so a client overrides only what it needs.
 * <p>
 * Assumptions: {@link #subbufStart} runs on the write path, on the carrier that writes, possibly
 * inside instrumented code, a lock, or the virtual-thread scheduler. It must not block, allocate,
 * take a lock or throw. The file callbacks run on the thread that sets up, maps or closes files.
 * <p>
 * Example, a channel that keeps the newest data and reports each lap:
 * <pre>{@code
 * RelayCallbacks cb = new RelayCallbacks() {
 *     public boolean subbufStart(RelayBuffer buf, int subbuf, int prevSubbuf, int prevPadding) {
 *         return true; // overwrite: always enter the next sub-buffer
 *     }
 * };
 * }</pre>
 */
public interface RelayCallbacks
{
    /**
     * Decides whether the writer may enter the next sub-buffer. This is where the mode lives:
     * answer {@code false} and the buffer stalls (each later write asks again with the same
     * arguments and is dropped, counted, until a reader frees space).
     *
     * @param buf         the buffer switching.
     * @param subbuf      index of the sub-buffer about to be entered.
     * @param prevSubbuf  index of the sub-buffer just finished, or -1 on {@link RelayChannel#reset()}.
     * @param prevPadding unused bytes at the end of the finished sub-buffer (0 on reset).
     * @return true to enter {@code subbuf}, false to stall.
     */
    default boolean subbufStart(final RelayBuffer buf, final int subbuf, final int prevSubbuf, final int prevPadding)
    {
        return !buf.isFull();
    }

    /**
     * A buffer's memory now lives in a mapped file, which another process may read live.
     *
     * @param buf  the buffer.
     * @param file the mapped file.
     */
    default void bufMapped(final RelayBuffer buf, final Path file)
    {
    }

    /**
     * A buffer's mapped file is no longer used by the buffer (carrier offline or channel closed).
     *
     * @param buf  the buffer.
     * @param file the mapped file.
     */
    default void bufUnmapped(final RelayBuffer buf, final Path file)
    {
    }

    /**
     * Names the output file of a CPU slot, or of the global buffer. The default puts
     * {@code filename} in {@code parent}; the channel creates it, owner-only.
     *
     * @param filename {@code <base><slot>} or {@code <base>global}.
     * @param parent   the trace directory.
     * @param slot     the CPU slot, or -1 for the global buffer.
     * @param global   true for the global buffer's file.
     * @return the path to create.
     * @throws IOException to refuse the file; {@link RelayChannel#setupFiles} then fails.
     */
    default Path createBufFile(final String filename, final Path parent, final int slot, final boolean global)
        throws IOException
    {
        return parent.resolve(filename);
    }

    /**
     * Called for each output file when the channel closes. The default keeps the file: it is the
     * trace.
     *
     * @param file the output file, already closed.
     */
    default void removeBufFile(final Path file)
    {
    }

    /**
     * No-overwrite mode, the kernel's default: when every sub-buffer is full and unread the buffer
     * stalls, and new events are dropped and counted until the reader catches up.
     *
     * @return callbacks for no-overwrite mode.
     */
    static RelayCallbacks discard()
    {
        return DiscardCallbacks.INSTANCE;
    }

    /**
     * Overwrite mode: the writer always enters the next sub-buffer, so the oldest unread
     * sub-buffers are lost (and counted by the reader that finds them lapped).
     *
     * @return callbacks for overwrite mode.
     */
    static RelayCallbacks overwrite()
    {
        return OverwriteCallbacks.INSTANCE;
    }
}
