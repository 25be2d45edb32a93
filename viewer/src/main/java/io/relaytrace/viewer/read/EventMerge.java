package io.relaytrace.viewer.read;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The events of every buffer of a trace merged by timestamp: a k-way merge over one
 * {@link BufferEvents} stream per buffer, each reading its own blocks with its own window of its
 * file. Memory grows with the number of buffers (one window each), never with the number of
 * events. Equal timestamps come out in buffer id order.
 * <p>
 * Example: {@code while (merge.next()) { TraceEvent e = merge.event(); ... }}
 */
public final class EventMerge implements AutoCloseable
{
    /**
     * Read-ahead of a buffer's stream: small blocks of other buffers come in one read with their
     * neighbours, large ones are skipped after their header without reading their content.
     */
    private static final int STREAM_WINDOW = 64 * 1024;

    private final List<FileChannel> channels = new ArrayList<>();
    private final PriorityQueue<BufferEvents> heads = new PriorityQueue<>(EventMerge::compare);
    private BufferEvents current;

    EventMerge(final Trace trace) throws IOException
    {
        final int subbufSize = trace.header().subbufSize();
        final Map<FileReport, FileChannel> open = new HashMap<>();
        try
        {
            for (final FileReport file : trace.files())
            {
                for (final BufferAccount account : file.buffers())
                {
                    if (account.bufferId() == BlockScanner.GLOBAL_BUFFER_ID || account.records() == 0)
                    {
                        continue;
                    }
                    final List<BlockScanner> segments = new ArrayList<>(account.segments().size());
                    for (final BufferAccount.Segment segment : account.segments())
                    {
                        final FileReport source = segment.file;
                        FileChannel channel = null;
                        if (!source.isSalvaged())
                        {
                            channel = open.get(source);
                            if (channel == null)
                            {
                                channel = FileChannel.open(source.path(), StandardOpenOption.READ);
                                open.put(source, channel);
                                channels.add(channel);
                            }
                        }
                        final FileWindow window = source.window(channel, Math.max(subbufSize, STREAM_WINDOW), STREAM_WINDOW);
                        segments.add(BlockScanner.replaying(window,
                            source.name(), subbufSize, source.damagedRegions(), account.bufferId(), segment.from, segment.to));
                    }
                    final BufferEvents stream = new BufferEvents(segments, account, trace.definitions());
                    if (stream.advance())
                    {
                        heads.add(stream);
                    }
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private static int compare(final BufferEvents a, final BufferEvents b)
    {
        final int byTime = Long.compare(a.event().timestamp, b.event().timestamp);
        return byTime != 0 ? byTime : Integer.compare(a.event().bufferId, b.event().bufferId);
    }

    /**
     * Moves to the next event in timestamp order.
     *
     * @return false when every buffer is exhausted.
     * @throws IOException if a file cannot be read.
     */
    public boolean next() throws IOException
    {
        final BufferEvents previous = current;
        if (previous != null)
        {
            if (!previous.advance())
            {
                current = heads.poll();
                return current != null;
            }
            // A buffer's events come in runs: while its next one is still the earliest, no heap work.
            final BufferEvents top = heads.peek();
            if (top == null || compare(previous, top) <= 0)
            {
                return true;
            }
            heads.add(previous);
        }
        current = heads.poll();
        return current != null;
    }

    /** @return the current event; a flyweight valid until the next call to {@link #next()}. */
    public TraceEvent event()
    {
        return current.event();
    }

    @Override
    public void close() throws IOException
    {
        IOException failure = null;
        for (final FileChannel channel : channels)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                failure = ex;
            }
        }
        channels.clear();
        if (failure != null)
        {
            throw failure;
        }
    }
}
