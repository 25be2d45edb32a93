package io.relaytrace.relay;

import io.relaytrace.relay.format.SubbufDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Buffer-only channels, and buffers for the writer/reader tests made without a carrier coming online.
 * <p>
 * Why not {@link RelayChannel#buffer()}: that binds the buffer to the thread that calls it, and a
 * jcstress state is built on a thread that is neither actor, so the reader actor could not be
 * handed the writer's buffer up front. A buffer is a single-writer object whatever thread made it;
 * these are made by the package-private constructor with no carrier (like the global buffer) and
 * written by one actor only. They are not registered with the channel, so its flusher never reads
 * them: the test's reader is the only one.
 * <p>
 * The channel is buffer-only: its flusher has no files to write and never retires a buffer. The
 * writer/reader tests share one per test (one geometry, one mode, one idle flusher thread per
 * forked VM); {@link ConcurrentFlushTest} opens one per state, since its buffers come online.
 */
final class StandaloneBuffers
{
    private StandaloneBuffers()
    {
    }

    /**
     * @param callbacks     the mode: {@link RelayCallbacks#discard()} or {@link RelayCallbacks#overwrite()}.
     * @param contentLength content bytes per sub-buffer (after the header).
     * @param nSubbufs      sub-buffers per buffer.
     * @return an open buffer-only channel; the caller closes it ({@link BackgroundCloser}) or
     *     keeps it for the life of the forked VM.
     */
    static RelayChannel channel(final RelayCallbacks callbacks, final int contentLength, final int nSubbufs)
    {
        try
        {
            return RelayChannel.builder()
                .geometry(SubbufDescriptor.HEADER_LENGTH + contentLength, nSubbufs)
                .callbacks(callbacks)
                .cpus(1)
                .open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open a buffer-only channel: " + ex.getMessage(), ex);
        }
    }

    /**
     * @param channel the channel whose geometry and callbacks the buffer takes.
     * @return a fresh buffer in its own direct memory, its first sub-buffer entered.
     */
    static RelayBuffer buffer(final RelayChannel channel)
    {
        final BufferMemory memory = new BufferMemory.Direct(channel.subbufSize() * channel.nSubbufs());
        return new RelayBuffer(channel, 1, 0, null, memory);
    }
}
