package io.relaytrace.viewer.read;

import io.relaytrace.relay.format.SubbufDescriptor;
import io.relaytrace.viewer.KnownWorkload;
import io.relaytrace.viewer.TraceSurgery;
import io.relaytrace.viewer.analysis.TraceSummary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link TraceFollower} on trace files that grow: a complete trace is replayed into a new
 * directory in pieces, cut in the middle of blocks, as a writer would append them.
 */
class TraceFollowerTest
{
    private static final CallListener NO_CALLS = (thread, methodId, start, end, childNanos, exceptional) ->
    {
    };

    @TempDir
    static Path shared;
    static Path full;

    @BeforeAll
    static void writeWorkload() throws Exception
    {
        full = shared.resolve("full");
        KnownWorkload.write(full);
    }

    /** @return an offset inside the block at index {@code block} of the file: the file is cut in a block. */
    private static long insideBlock(final Path file, final int block) throws Exception
    {
        final List<Long> starts = TraceSurgery.blockStarts(file);
        assertTrue(starts.size() > block + 1, "enough blocks in " + file);
        return starts.get(block) + 60;
    }

    private static long blockStart(final Path file, final int block) throws Exception
    {
        return TraceSurgery.blockStarts(file).get(block);
    }

    @Test
    void readsAppendedBlocksAndTakesABlockCutShortAsNotYetWritten() throws Exception
    {
        final Path live = Files.createDirectories(shared.resolve("live"));
        Files.copy(full.resolve("trace.header"), live.resolve("trace.header"));
        final CallStacks stacks = new CallStacks(NO_CALLS);
        try (TraceFollower follower = TraceFollower.open(live))
        {
            assertEquals(0, follower.poll(stacks), "no file yet");
            assertFalse(follower.finished());

            // The definitions, then each CPU file up to the middle of its third block.
            TraceSurgery.appendRange(full.resolve("trace.global"), live.resolve("trace.global"), 0,
                Files.size(full.resolve("trace.global")));
            final String[] cpus = {"trace.0", "trace.1"};
            for (final String cpu : cpus)
            {
                TraceSurgery.appendRange(full.resolve(cpu), live.resolve(cpu), 0, insideBlock(full.resolve(cpu), 2));
            }
            follower.poll(stacks);
            assertEquals(List.of(), follower.problems(), "a block being appended is not damage");
            assertFalse(follower.finished());

            // What the two complete blocks of each file hold, by the offline reader.
            final Path twoBlocks = TraceSurgery.copy(full, shared.resolve("two-blocks"));
            Files.delete(twoBlocks.resolve("trace.closed"));
            for (final String cpu : cpus)
            {
                TraceSurgery.truncate(twoBlocks.resolve(cpu), blockStart(full.resolve(cpu), 2));
            }
            final long firstEvents = TraceSummary.of(Trace.open(twoBlocks)).events();
            assertTrue(firstEvents > 0 && firstEvents < KnownWorkload.EVENTS, "firstEvents=" + firstEvents);
            assertEquals(firstEvents, stacks.events());

            // The rest, then garbage at the end of trace.0 that might still be a block being written.
            for (final String cpu : cpus)
            {
                TraceSurgery.appendRange(full.resolve(cpu), live.resolve(cpu), insideBlock(full.resolve(cpu), 2),
                    Files.size(full.resolve(cpu)));
            }
            Files.write(live.resolve("trace.0"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
                java.nio.file.StandardOpenOption.APPEND);
            follower.poll(stacks);
            assertEquals(KnownWorkload.EVENTS, stacks.events());
            assertEquals(List.of(), follower.problems());
            assertFalse(follower.finished());
            assertEquals(KnownWorkload.THREADS, stacks.threads().size());

            // Closed cleanly: nothing more will come, so the garbage is damage now.
            Files.copy(full.resolve("trace.closed"), live.resolve("trace.closed"));
            assertEquals(0, follower.poll(stacks));
            assertTrue(follower.finished());
            assertEquals(1, follower.problems().size(), follower.problems()::toString);
            final Problem garbage = follower.problems().get(0);
            assertEquals(Problem.Kind.DAMAGED, garbage.kind());
            assertEquals("trace.0", garbage.file());
            assertEquals(Files.size(full.resolve("trace.0")), garbage.offset());
            assertEquals(0, follower.files().stream().mapToLong(FileReport::lost).sum());
        }
    }

    @Test
    void readsALongBacklogOverSeveralPolls(@TempDir final Path dir) throws Exception
    {
        final int calls = 200_000;
        try (io.relaytrace.viewer.TraceWriterFixture trace = io.relaytrace.viewer.TraceWriterFixture.open(dir, 64 * 1024, 256, 1))
        {
            trace.defineMethod(1, "big.A", "run", "()V");
            for (int i = 0; i < calls; i++)
            {
                trace.enter(1);
                trace.exit(1);
            }
        }
        assertTrue(Files.size(dir.resolve("trace.0")) > 2 * (2L << 20), "more than two polls' worth");
        final CallStacks stacks = new CallStacks(NO_CALLS);
        try (TraceFollower follower = TraceFollower.open(dir))
        {
            int polls = 0;
            long read = 0;
            while (!follower.finished())
            {
                final int events = follower.poll(stacks);
                assertTrue(events <= (2 << 20) / 16 + 64 * 1024 / 16, "a poll reads at most 2 MiB of blocks: " + events);
                read += events;
                polls++;
                assertEquals(stacks.events() < 2L * calls, follower.behind(), "behind until all is read");
            }
            assertTrue(polls >= 3, "polls=" + polls);
            assertEquals(2L * calls, stacks.events());
            assertEquals(2L * calls + 1, read, "and the writer's THREAD record");
            assertEquals(List.of(), follower.problems());
        }
    }

    /** A whole block in the wrong file, last in it: reported once as misplaced, even before the close. */
    @Test
    void aMisplacedBlockAtTheEndOfAGrowingFileIsReported() throws Exception
    {
        final Path live = Files.createDirectories(shared.resolve("live-misplaced"));
        Files.copy(full.resolve("trace.header"), live.resolve("trace.header"));
        final Path global = Files.copy(full.resolve("trace.global"), live.resolve("trace.global"));
        final long block = blockStart(global, 0);
        TraceSurgery.resealBlockField(global, block, SubbufDescriptor.BUFFER_ID_OFFSET, 1, 4);
        final long end = block + SubbufDescriptor.HEADER_LENGTH + TraceSurgery.contentLength(global, block);
        TraceSurgery.truncate(global, end);
        try (TraceFollower follower = TraceFollower.open(live))
        {
            follower.poll(new CallStacks(NO_CALLS));
            assertEquals(List.of(new Problem(Problem.Kind.DAMAGED, "trace.global", block, "block of buffer id=1 misplaced: " +
                "the global file holds blocks of buffer id=0 only; skipped " + (end - block) + " bytes")), follower.problems());
            follower.poll(new CallStacks(NO_CALLS));
            assertEquals(1, follower.problems().size(), "reported once: " + follower.problems());
        }
    }
}
