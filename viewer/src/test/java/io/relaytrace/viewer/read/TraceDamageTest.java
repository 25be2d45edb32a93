package io.relaytrace.viewer.read;

import io.relaytrace.relay.format.Checksums;
import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;
import io.relaytrace.relay.format.SubbufDescriptor;
import io.relaytrace.viewer.KnownWorkload;
import io.relaytrace.viewer.TraceSurgery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import static io.relaytrace.relay.format.SubbufDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Damages a real trace in every way a file can be damaged and checks that the reader reports
 * exactly one problem per damaged region, with the right kind and offset, keeps reading, and
 * accounts for the events it lost.
 */
class TraceDamageTest
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
    }

    /** A fresh copy of the original trace to damage. */
    private static Path copy(final Path scratch) throws IOException
    {
        return TraceSurgery.copy(original, scratch.resolve("copy"));
    }

    private static long recordsRead(final Trace trace)
    {
        return trace.files().stream().mapToLong(FileReport::records).sum();
    }

    /** Reads every event of the trace: must not throw whatever the damage. */
    private static long replay(final Trace trace) throws IOException
    {
        final CallStacks stacks = new CallStacks((t, m, s, e, c, x) -> { });
        try (EventMerge merge = trace.events())
        {
            while (merge.next())
            {
                stacks.accept(merge.event());
            }
        }
        stacks.finish();
        return stacks.events();
    }

    private static Problem onlyProblem(final Trace trace)
    {
        assertEquals(1, trace.problems().size(), () -> "problems: " + trace.problems());
        return trace.problems().get(0);
    }

    @Test
    void truncationAtEveryBlockBoundaryIsOneIncompleteProblem(@TempDir final Path scratch) throws Exception
    {
        final List<Long> starts = TraceSurgery.blockStarts(original.resolve("trace.0"));
        assertTrue(starts.size() > 10, "blocks=" + starts.size());
        for (final long boundary : starts)
        {
            final Path dir = copy(scratch);
            TraceSurgery.truncate(dir.resolve("trace.0"), boundary);
            final Trace trace = Trace.open(dir);
            final Problem problem = onlyProblem(trace);
            assertEquals(Problem.Kind.INCOMPLETE, problem.kind(), problem::toString);
            // Cut before some buffer's final block: trace.0 names it. Cut before every block of a
            // buffer whose blocks all come after the others' final blocks: only the close marker's
            // buffer count shows it.
            assertTrue(problem.file().equals("trace.0") && problem.message().startsWith("file truncated at a block boundary") ||
                problem.file().equals("trace.closed") && problem.message().endsWith("a file was truncated or emptied"),
                problem::toString);
            assertEquals(starts.indexOf(boundary), trace.files().get(1).blocks());
            assertTrue(replay(trace) <= KnownWorkload.EVENTS);
        }
    }

    @Test
    void truncationInsideAHeaderOrContentIsIncompleteAtTheBlockStart(@TempDir final Path scratch) throws Exception
    {
        final Path file = original.resolve("trace.1");
        for (final long start : TraceSurgery.blockStarts(file))
        {
            final int length = TraceSurgery.contentLength(file, start);
            for (final long cut : length > 8 ? new long[] {start + 1, start + 50, start + HEADER_LENGTH + 5} :
                new long[] {start + 3, start + 50})
            {
                final Path dir = copy(scratch);
                TraceSurgery.truncate(dir.resolve("trace.1"), cut);
                final Trace trace = Trace.open(dir);
                final Problem problem = onlyProblem(trace);
                assertEquals(Problem.Kind.INCOMPLETE, problem.kind(), problem::toString);
                assertEquals("trace.1", problem.file());
                assertEquals(start, problem.offset(), problem::toString);
                assertTrue(problem.message().startsWith("file truncated"), problem::toString);
                replay(trace);
            }
        }
    }

    @Test
    void aFlippedByteDamagesOneBlockAndItsEventsAreCountedLost(@TempDir final Path scratch) throws Exception
    {
        for (final String name : new String[] {"trace.0", "trace.global"})
        {
            final Path file = original.resolve(name);
            for (final long start : TraceSurgery.blockStarts(file))
            {
                final int length = TraceSurgery.contentLength(file, start);
                for (final long at : length > 0 ?
                    new long[] {start, start + 20, start + 101, start + HEADER_LENGTH + length / 2} : new long[] {start + 60})
                {
                    final Path dir = copy(scratch);
                    TraceSurgery.flip(dir.resolve(name), at);
                    final Trace trace = Trace.open(dir);
                    final Problem problem = onlyProblem(trace);
                    assertEquals(Problem.Kind.DAMAGED, problem.kind(), problem::toString);
                    assertEquals(name, problem.file());
                    assertEquals(start, problem.offset(), problem::toString);
                    assertEquals(1, trace.files().stream().mapToInt(FileReport::damagedRegionCount).sum());
                    assertEquals(HEADER_LENGTH + length, trace.files().stream().mapToLong(FileReport::bytesSkipped).sum());
                    // The close marker counts the global buffer's records (definitions) too; their loss is kept apart.
                    assertEquals(committed, recordsRead(trace) + trace.lost() + trace.definitionsLost(),
                        "every event is read or counted lost");
                    assertEquals(0, name.equals("trace.global") ? trace.lost() : trace.definitionsLost(),
                        "events lost and definitions lost are counted apart");
                    replay(trace);
                }
            }
        }
    }

    @Test
    void appendedGarbageIsOneDamagedRegionToTheEnd(@TempDir final Path scratch) throws Exception
    {
        final byte[] garbage = new byte[1000];
        Arrays.fill(garbage, (byte)0xAB);
        final byte[] fakeHeader = new byte[300];
        fakeHeader[0] = 'R';
        fakeHeader[1] = 'T';
        fakeHeader[2] = 'S';
        fakeHeader[3] = 'B';
        for (final byte[] tail : new byte[][] {garbage, fakeHeader})
        {
            final Path dir = copy(scratch);
            final Path file = dir.resolve("trace.0");
            final long size = Files.size(file);
            Files.write(file, tail, StandardOpenOption.APPEND);
            final Trace trace = Trace.open(dir);
            final Problem problem = onlyProblem(trace);
            assertEquals(Problem.Kind.DAMAGED, problem.kind(), problem::toString);
            assertEquals(size, problem.offset());
            assertTrue(problem.message().endsWith("skipped " + tail.length + " bytes to the end of the file"),
                problem::toString);
            assertEquals(committed, recordsRead(trace));
            assertEquals(KnownWorkload.EVENTS, replay(trace));
        }
    }

    @Test
    void aRecordLengthRunningPastTheContentIsDamageEvenUnderAValidChecksum(@TempDir final Path scratch) throws Exception
    {
        final Path dir = copy(scratch);
        final Path file = dir.resolve("trace.1");
        final long start = TraceSurgery.blockStarts(file).stream()
            .filter(s -> TraceSurgery.contentLength(file, s) >= 48).findFirst().orElseThrow();
        final ByteBuffer bytes = TraceSurgery.read(file);
        final int block = (int)start;
        final int length = bytes.getInt(block + SubbufDescriptor.CONTENT_LENGTH_OFFSET);
        bytes.putInt(block + HEADER_LENGTH, (length + 100) << 8 | 1);
        bytes.putInt(block + SubbufDescriptor.CRC_OFFSET,
            Checksums.crc32c(bytes, block, block + HEADER_LENGTH + length, SubbufDescriptor.CRC_OFFSET));
        Files.write(file, bytes.array());
        final Trace trace = Trace.open(dir);
        final Problem problem = onlyProblem(trace);
        assertEquals(Problem.Kind.DAMAGED, problem.kind());
        assertEquals(start + HEADER_LENGTH, problem.offset());
        assertTrue(problem.message().contains("runs past the content end"), problem::toString);
        assertEquals(committed, recordsRead(trace) + trace.lost());
        replay(trace);
    }

    @Test
    void aDeletedPerCpuFileIsReportedMissingAndTheRestIsRead(@TempDir final Path scratch) throws Exception
    {
        final Path dir = copy(scratch);
        final long recordsInOne = Trace.open(dir).files().get(2).records();
        Files.delete(dir.resolve("trace.1"));
        final Trace trace = Trace.open(dir);
        final Problem problem = onlyProblem(trace);
        assertEquals(Problem.Kind.INCOMPLETE, problem.kind());
        assertEquals("trace.1", problem.file());
        assertTrue(problem.message().startsWith("missing"), problem::toString);
        assertEquals(committed - recordsInOne, recordsRead(trace));
        replay(trace);
    }

    @Test
    void aMissingCloseMarkerMakesTheTraceIncomplete(@TempDir final Path scratch) throws Exception
    {
        final Path dir = copy(scratch);
        Files.delete(dir.resolve("trace.closed"));
        final Trace trace = Trace.open(dir);
        assertTrue(trace.isIncomplete());
        final Problem problem = onlyProblem(trace);
        assertEquals(Problem.Kind.INCOMPLETE, problem.kind());
        assertEquals("trace.closed", problem.file());
        assertEquals(KnownWorkload.EVENTS, replay(trace));
    }

    @Test
    void blocksTheRuntimeCouldNotWriteAreReported(@TempDir final Path scratch) throws Exception
    {
        final Path dir = copy(scratch);
        final ClosedMarker m = Trace.open(dir).closedMarker();
        final ByteBuffer marker = ClosedMarkerDescriptor.encode(new ClosedMarker(m.closeNanoTime(), m.events(), m.dropped(),
            m.tooBig(), m.lostSubbufs(), m.unattributed(), 3, m.buffers(), m.failed()));
        Files.write(dir.resolve("trace.closed"), marker.array());
        final Trace trace = Trace.open(dir);
        assertFalse(trace.isIncomplete());
        final Problem problem = onlyProblem(trace);
        assertEquals(Problem.Kind.INCOMPLETE, problem.kind());
        assertEquals("trace.closed: incomplete: the traced JVM could not write 3 blocks (disk full or directory gone)",
            problem.toString());
    }

    @Test
    void aDirectoryThatIsNotATraceIsOneClearError(@TempDir final Path scratch) throws Exception
    {
        final Path empty = Files.createDirectory(scratch.resolve("empty"));
        assertEquals(empty + " is not a relaytrace trace: no <base>header file (such as trace.header) in it",
            assertThrows(TraceException.class, () -> Trace.open(empty)).getMessage());
        final Path missing = scratch.resolve("missing");
        assertEquals("no such directory: " + missing,
            assertThrows(TraceException.class, () -> Trace.open(missing)).getMessage());
        final Path file = Files.writeString(scratch.resolve("file"), "x");
        assertTrue(assertThrows(TraceException.class, () -> Trace.open(file)).getMessage().contains("is not a directory"));

        final Path dir = copy(scratch);
        Files.write(dir.resolve("trace.header"), new byte[] {1, 2, 3, 4, 5, 6});
        assertEquals(dir.resolve("trace.header") + " is not a valid trace header: not a relaytrace header file (magic 'RTTH' expected)",
            assertThrows(TraceException.class, () -> Trace.open(dir)).getMessage());
        final Path cut = copy(scratch);
        TraceSurgery.truncate(cut.resolve("trace.header"), 30);
        assertTrue(assertThrows(TraceException.class, () -> Trace.open(cut)).getMessage()
            .contains("header file truncated: length=30"));
    }
}
