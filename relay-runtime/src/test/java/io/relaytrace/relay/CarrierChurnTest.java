package io.relaytrace.relay;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Carriers coming online and going offline (retired by the flusher) all at once, and the channel
 * closed in the middle of it: platform threads, each a new carrier, write a few hundred events
 * and end, eight at a time, while more start, and four carriers write all along; the main thread
 * closes the channel once half of the short-lived ones started. Every event attempted is committed
 * or counted (dropped by a finalized buffer, or unattributed: its carrier's publication lost to
 * close), to the event, and what the close marker counts committed is in the files; every buffer
 * that came online ends with exactly one final block, and their number is the close marker's; no
 * buffer is left to a retire after close.
 */
class CarrierChurnTest
{
    private static final String BASE = "t.";
    private static final int EACH = 300;
    /** Eight lanes of short-lived carriers, four steady ones. */
    private static final int WRITING_AT_ONCE = 8 + 4;

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {400, 2000})
    @Timeout(120)
    void carriersOnlineAndRetiredWhileTheChannelClosesLoseNothingUncounted(final int threads, @TempDir final Path dir)
        throws Exception
    {
        final int cpus = 2;
        // Every carrier's events fit its buffer: nothing is dropped for want of room, only by close.
        final RelayChannel channel = RelayChannel.builder().files(BASE, dir).geometry(4096, 4).cpus(cpus).open();
        final AtomicInteger started = new AtomicInteger();
        final AtomicLong attempted = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final int lanes = 8;
        final List<Thread> laneThreads = new ArrayList<>();
        final long writerBase = 1;
        for (int lane = 0; lane < lanes; lane++)
        {
            final int first = lane;
            laneThreads.add(Thread.ofPlatform().start(() ->
            {
                for (int w = first; w < threads; w += lanes)
                {
                    final long writer = writerBase + w;
                    final Thread carrier = Thread.ofPlatform().start(() ->
                    {
                        started.incrementAndGet();
                        for (int i = 0; i < EACH; i++)
                        {
                            attempted.incrementAndGet();
                            final RelayBuffer buffer = channel.buffer();
                            if (buffer != null && !Events.write(buffer, writer, i))
                            {
                                refused.incrementAndGet();
                            }
                        }
                    });
                    joinQuietly(carrier);
                }
            }));
        }
        // Four carriers that live through the close: writing all along, and 1,000 times more once
        // they see it (refused: their buffers are finalized; dropped for want of room before).
        for (int s = 0; s < 4; s++)
        {
            final long writer = writerBase + threads + s;
            laneThreads.add(Thread.ofPlatform().start(() ->
            {
                long afterClose = 0;
                for (int i = 0; afterClose < 1000; i++)
                {
                    if (channel.isClosed())
                    {
                        afterClose++;
                    }
                    attempted.incrementAndGet();
                    final RelayBuffer buffer = channel.buffer();
                    if (buffer != null && !Events.write(buffer, writer, i))
                    {
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (started.get() < threads / 2 && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        channel.close();
        for (final Thread lane : laneThreads)
        {
            lane.join();
        }

        final ChannelTotals totals = channel.totals();
        final Map<Integer, Long> read = new HashMap<>();
        final Map<Integer, Integer> finals = new HashMap<>();
        final Map<Integer, Long> committed = new HashMap<>();
        final Map<Long, Long> lastSeq = new HashMap<>();
        for (final TraceFiles.Block block : TraceFiles.allBlocks(dir, BASE, cpus))
        {
            if (block.isFinal())
            {
                finals.merge(block.bufferId(), 1, Integer::sum);
                committed.put(block.bufferId(), block.eventsBefore());
                continue;
            }
            for (int at = 0; at < block.content().limit(); at += Events.LENGTH)
            {
                final long writer = Events.writer(block.content(), at);
                final long seq = Events.seq(block.content(), at);
                final Long last = lastSeq.put(writer, seq);
                // The steady writers drop events when their buffer is full: in order, with gaps.
                assertTrue(last == null ? seq == 0 || writer > threads : seq > last && (seq == last + 1 || writer > threads),
                    "writer " + writer + " seq " + seq + " after " + last);
                read.merge(block.bufferId(), 1L, Long::sum);
            }
        }
        final Set<Integer> online = new HashSet<>(finals.keySet());
        for (final Map.Entry<Integer, Integer> e : finals.entrySet())
        {
            assertEquals(1, e.getValue(), "one final block for buffer " + e.getKey());
            assertEquals(committed.get(e.getKey()), read.getOrDefault(e.getKey(), 0L), "buffer " + e.getKey() + " lost nothing");
        }
        assertTrue(online.containsAll(read.keySet()), "every buffer written ends with a final block");
        assertEquals(totals.buffers(), online.size(), "the close marker's buffers: each that came online, the global one");
        final long readTotal = read.values().stream().mapToLong(Long::longValue).sum();
        final ClosedMarker marker = ClosedMarkerDescriptor.decode(
            ByteBuffer.wrap(Files.readAllBytes(dir.resolve(BASE + ClosedMarkerDescriptor.FILE_SUFFIX))));
        assertEquals(marker.events(), readTotal, "what the close marker counts committed is in the files");
        assertEquals(totals.buffers(), marker.buffers());
        // A write that passed its buffer's finalized check just before close set it, and was held
        // off the CPU longer than close's 5 ms quiesce, commits after the buffer was drained: it
        // is counted committed (totals) but not in the files. At most one per writing thread.
        final long lateCommits = totals.events() - readTotal;
        assertTrue(lateCommits >= 0 && lateCommits <= WRITING_AT_ONCE, "late commits=" + lateCommits);
        assertEquals(refused.get(), totals.dropped(), "refused writes are the buffers' dropped (finalized by close)");
        assertEquals(0, totals.tooBig());
        assertEquals(0, totals.lostSubbufs());
        assertEquals(attempted.get(), totals.events() + totals.dropped() + totals.unattributed(),
            "every event attempted is committed (in the files, or late), or counted dropped or unattributed");
        assertTrue(readTotal > 0 && totals.dropped() + totals.unattributed() > 0,
            "the close fell among the writers: read=" + readTotal + " " + totals);
        assertTrue(channel.retiredBuffers() > 0, "carriers that ended were retired while others came online");
    }

    private static void joinQuietly(final Thread thread)
    {
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
