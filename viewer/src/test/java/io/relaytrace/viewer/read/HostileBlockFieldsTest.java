package io.relaytrace.viewer.read;

import io.relaytrace.relay.format.SubbufDescriptor;
import io.relaytrace.relay.format.TraceHeader;
import io.relaytrace.relay.format.TraceHeaderDescriptor;
import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.KnownWorkload;
import io.relaytrace.viewer.TraceSurgery;
import io.relaytrace.viewer.analysis.TraceSummary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static io.relaytrace.relay.format.SubbufDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Blocks whose header fields a hostile or buggy writer set, checksum valid (what the decoder fuzzing
 * found): counters that go back, a block in the wrong file, and a header whose sub-buffer size is far
 * larger than the files. Each is damage, reported in one line naming the file and the offset; no total
 * goes negative, nothing throws, and no window is larger than its file.
 */
class HostileBlockFieldsTest
{
    @TempDir
    static Path shared;
    static Path original;
    static long committed;

    @BeforeAll
    static void writeTrace() throws Exception
    {
        original = shared.resolve("original");
        KnownWorkload.write(original);
        committed = Trace.open(original).closedMarker().events();
        assertEquals("[]", Trace.open(original).problems().toString());
    }

    private static Path copy(final Path scratch) throws IOException
    {
        return TraceSurgery.copy(original, scratch.resolve("copy"));
    }

    private static int bufferId(final Path file, final long blockStart) throws IOException
    {
        return TraceSurgery.read(file).getInt((int)blockStart + SubbufDescriptor.BUFFER_ID_OFFSET);
    }

    private static long recordsRead(final Trace trace)
    {
        return trace.files().stream().mapToLong(FileReport::records).sum();
    }

    @Test
    void aDroppedBeforeThatGoesBackIsDamageAndLeavesTheTotalAlone(@TempDir final Path scratch) throws Exception
    {
        final Path dir = copy(scratch);
        final Path file = dir.resolve("trace.0");
        final long block = TraceSurgery.blockStarts(file).get(1);
        TraceSurgery.resealBlockField(file, block, SubbufDescriptor.DROPPED_BEFORE_OFFSET, -1, 8);
        final Trace trace = Trace.open(dir);
        assertEquals(List.of(new Problem(Problem.Kind.DAMAGED, "trace.0", block, "block of buffer id=" + bufferId(file, block) +
            ": Dropped Before=-1 goes back from 0 (a running total of the buffer); ignored")), trace.problems());
        assertEquals(0, trace.dropped());
        assertEquals(0, TraceSummary.of(trace).dropped());
        assertEquals(committed, recordsRead(trace), "the block itself is read");
    }

    @Test
    void anEventsBeforeOfMinLongIsDamageAndNothingIsCountedLost(@TempDir final Path scratch) throws Exception
    {
        final Path dir = copy(scratch);
        final Path file = dir.resolve("trace.0");
        TraceSurgery.resealBlockField(file, 0, SubbufDescriptor.EVENTS_BEFORE_OFFSET, Long.MIN_VALUE, 8);
        final Trace trace = Trace.open(dir);
        assertEquals(List.of(new Problem(Problem.Kind.DAMAGED, "trace.0", 0, "block of buffer id=" + bufferId(file, 0) +
            ": Events Before=-9223372036854775808 goes back from 0 (a running total of the buffer); ignored")),
            trace.problems());
        assertEquals(0, trace.lost());
        assertEquals(0, TraceSummary.of(trace).lost());
        assertEquals(committed, recordsRead(trace));
    }

    @Test
    void hugeEventsBeforeInTwoBuffersSaturateTheLostTotal(@TempDir final Path scratch) throws Exception
    {
        final Path dir = copy(scratch);
        for (final String name : new String[] {"trace.0", "trace.1"})
        {
            final Path file = dir.resolve(name);
            final List<Long> starts = TraceSurgery.blockStarts(file);
            final long last = starts.get(starts.size() - 1);
            assertEquals(SubbufDescriptor.FLAG_FINAL,
                TraceSurgery.read(file).getShort((int)last + SubbufDescriptor.FLAGS_OFFSET) & SubbufDescriptor.FLAG_FINAL,
                () -> name + "'s last block is a final block");
            TraceSurgery.resealBlockField(file, last, SubbufDescriptor.EVENTS_BEFORE_OFFSET, Long.MAX_VALUE, 8);
        }
        final Trace trace = Trace.open(dir);
        assertEquals(Long.MAX_VALUE, trace.lost(), "two buffers' losses near Long.MAX_VALUE each: the total saturates");
        assertEquals(Long.MAX_VALUE, TraceSummary.of(trace).lost());
        final Cli check = Cli.run("check", dir.toString());
        assertTrue(check.out().contains("events: read " + (committed - trace.files().get(0).records()) + ", lost " +
            Long.MAX_VALUE + ", dropped 0, too big 0; definitions: read " + trace.files().get(0).records() +
            ", lost 0, dropped 0, too big 0\n"), check::toString);
    }

    @Test
    void aGlobalBlockOfAnotherBufferIsMisplacedAndSkipped(@TempDir final Path scratch) throws Exception
    {
        final Path dir = copy(scratch);
        final Path global = dir.resolve("trace.global");
        final long block = TraceSurgery.blockStarts(global).get(0);
        final int length = TraceSurgery.contentLength(global, block);
        TraceSurgery.resealBlockField(global, block, SubbufDescriptor.BUFFER_ID_OFFSET, 1, 4);
        final Trace trace = Trace.open(dir);
        assertEquals(List.of(new Problem(Problem.Kind.DAMAGED, "trace.global", block, "block of buffer id=1 misplaced: " +
            "the global file holds blocks of buffer id=0 only; skipped " + (HEADER_LENGTH + length) + " bytes")),
            trace.problems());
        assertEquals(HEADER_LENGTH + length, trace.files().get(0).bytesSkipped());

        final Cli ctf = Cli.run("export", dir.toString(), "--format", "ctf", "-o", scratch.resolve("ctf").toString());
        assertEquals(ExitCodes.OK, ctf.status(), ctf::toString);
        assertEquals("warning: trace.global@" + block + ": damaged: block of buffer id=1 misplaced: the global file " +
            "holds blocks of buffer id=0 only; skipped " + (HEADER_LENGTH + length) + " bytes\n", ctf.err());
        assertTrue(Files.isRegularFile(scratch.resolve("ctf").resolve("metadata")));
    }

    @Test
    void swappedGlobalAndCpuFilesAreMisplacedBlocksNotAnException(@TempDir final Path scratch) throws Exception
    {
        final Path dir = copy(scratch);
        final Path swap = dir.resolve("swap");
        Files.move(dir.resolve("trace.0"), swap);
        Files.move(dir.resolve("trace.global"), dir.resolve("trace.0"));
        Files.move(swap, dir.resolve("trace.global"));
        final Trace trace = Trace.open(dir);
        final int globalBlocks = TraceSurgery.blockStarts(dir.resolve("trace.0")).size();
        final int cpuBlocks = TraceSurgery.blockStarts(dir.resolve("trace.global")).size();
        assertEquals(globalBlocks + cpuBlocks, trace.problems().size(), trace.problems()::toString);
        assertTrue(trace.problems().stream().allMatch(p -> p.kind() == Problem.Kind.DAMAGED && p.message().contains(" misplaced: ")),
            trace.problems()::toString);
        assertEquals(0, trace.files().get(0).blocks(), "trace.global holds no block of buffer 0");
        assertEquals(0, trace.files().get(1).blocks(), "trace.0 holds no block of another buffer than 0");

        final Cli ctf = Cli.run("export", dir.toString(), "--format", "ctf", "-o", scratch.resolve("ctf").toString());
        assertEquals(ExitCodes.OK, ctf.status(), ctf::toString);
        assertFalse(ctf.err().contains("Exception"), ctf::toString);
    }

    @Test
    void aWindowIsNeverLargerThanItsFile(@TempDir final Path scratch) throws Exception
    {
        final Path file = Files.write(scratch.resolve("f"), new byte[1000]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            // What a header saying subbufSize=1 GiB asked for: a 1 GiB window for a file of 1,000 bytes.
            final FileWindow window = new FileWindow(channel, channel.size(), 1 << 30, 1 << 30);
            assertEquals(1000, window.buffer().capacity());
            assertEquals(0, window.ensure(0, 1000));
            assertEquals(-1, window.ensure(1, 1000), "past the end of the file");

            // A growing file (follow): the window grows with it, at least doubling, up to the capacity.
            Files.write(file, new byte[200], StandardOpenOption.APPEND);
            window.extend(channel.size());
            assertEquals(2000, window.buffer().capacity());
            assertEquals(0, window.ensure(0, 1200));
            Files.write(file, new byte[1300], StandardOpenOption.APPEND);
            window.extend(channel.size());
            assertEquals(4000, window.buffer().capacity(), "doubled: growing by small appends does not reallocate each time");
            assertEquals(0, window.ensure(0, 2500));
            final FileWindow bounded = new FileWindow(channel, 1000, 1200, 1200);
            bounded.extend(2500);
            assertEquals(1200, bounded.buffer().capacity());
        }
    }

    @Test
    void aHeaderSubbufSizeOfAGibibyteDoesNotSizeTheWindows(@TempDir final Path scratch) throws Exception
    {
        final Path dir = copy(scratch);
        final long events = TraceSummary.of(Trace.open(dir)).events();
        final TraceHeader h = Trace.open(dir).header();
        // A larger subbufSize, checksum valid, keeps every block valid (each fits a larger sub-buffer):
        // only the windows sized by it could grow.
        Files.write(dir.resolve("trace.header"), TraceHeaderDescriptor.encode(new TraceHeader(1 << 30, h.nSubbufs(), h.cpus(),
            h.clockNanoTime(), h.clockEpochNanos(), h.pid(), h.properties())).array());
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        final Trace trace = Trace.open(dir);
        final TraceSummary summary = TraceSummary.of(trace);
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertEquals(1 << 30, trace.header().subbufSize());
        assertEquals("[]", trace.problems().toString());
        assertEquals(events, summary.events());
        // Files of a few KB each, one window per file and per buffer replayed: far below one sub-buffer.
        final long files = trace.files().stream().mapToLong(FileReport::size).sum();
        assertTrue(allocated < (64L << 20), () -> "allocated " + allocated + " bytes reading " + files + " bytes of files");
    }

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
}
