package io.relaytrace.relay;

import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.relaytrace.relay.format.SubbufDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trace files deleted (or replaced) under the flusher: the open descriptors would go on writing to
 * unlinked inodes, silently. Instead the deletion is noticed at the next block, said once on stderr,
 * and every block from then on is counted as not written: exactly the blocks that a twin channel
 * given the same writes, whose directory stays, writes after that point. The writer never notices.
 */
class DeletedOutputTest
{
    private static final int PER_SUBBUF = 64;
    private static final int EVENTS = 100; // one sub-buffer and a half, each time

    @Test
    void deletedDirectoryIsSaidOnceAndItsBlocksCounted(@TempDir final Path tmp) throws Exception
    {
        final Path dir = tmp.resolve("trace");
        final Path twinDir = tmp.resolve("twin");
        final RelayChannel channel = open(dir);
        final RelayChannel twin = open(twinDir);
        final RelayBuffer[] buffers = new RelayBuffer[2];
        final List<String> stderr = capturingStderr(() ->
        {
            buffers[0] = channel.buffer();
            buffers[1] = twin.buffer();
            writeAndFlush(channel, buffers[0], 0);
            writeAndFlush(twin, buffers[1], 0);
            deleteTree(dir);
            writeAndFlush(channel, buffers[0], EVENTS);
            channel.close();
        });
        final long twinBlocksBefore = TraceFiles.allBlocks(twinDir, "t.", 1).size();
        writeAndFlush(twin, buffers[1], EVENTS);
        twin.close();
        final long twinBlocksAfter = TraceFiles.allBlocks(twinDir, "t.", 1).size() - twinBlocksBefore;

        assertEquals(1, stderr.size(), () -> "one line: " + stderr);
        assertTrue(stderr.get(0).matches("relaytrace: the trace file " + java.util.regex.Pattern.quote(dir.toString()) +
            "/t\\.(0|global) was deleted or replaced; not writing there again, its blocks are counted as not written " +
            "from now on"), stderr.get(0));
        assertTrue(twinBlocksAfter >= 3, "a partial block and two final blocks at least: " + twinBlocksAfter);
        assertEquals(twinBlocksAfter, channel.blocksNotWritten(), "every block after the deletion counted");
        assertFalse(Files.exists(dir), "a deleted trace directory is not recreated, not even for the close marker");
        assertEquals(2L * EVENTS, buffers[0].stats().events());
        assertEquals(0, buffers[0].stats().dropped(), "the writer never noticed");
    }

    @Test
    void replacedFileIsNeverWrittenAndTheRestOfTheTraceCloses(@TempDir final Path tmp) throws Exception
    {
        final Path dir = tmp.resolve("trace");
        final Path twinDir = tmp.resolve("twin");
        final RelayChannel channel = open(dir);
        final RelayChannel twin = open(twinDir);
        final RelayBuffer[] buffers = new RelayBuffer[2];
        final long[] slot0Before = new long[1];
        final List<String> stderr = capturingStderr(() ->
        {
            buffers[0] = channel.buffer();
            buffers[1] = twin.buffer();
            writeAndFlush(channel, buffers[0], 0);
            writeAndFlush(twin, buffers[1], 0);
            slot0Before[0] = TraceFiles.blocks(twinDir.resolve("t.0")).size();
            Files.delete(dir.resolve("t.0"));
            Files.writeString(dir.resolve("t.0"), "someone else's");
            writeAndFlush(channel, buffers[0], EVENTS);
            channel.close();
        });
        writeAndFlush(twin, buffers[1], EVENTS);
        twin.close();
        final long twinSlot0After = TraceFiles.blocks(twinDir.resolve("t.0")).size() - slot0Before[0];

        assertEquals(List.of("relaytrace: the trace file " + dir.resolve("t.0") + " was deleted or replaced; not writing " +
            "there again, its blocks are counted as not written from now on"), stderr);
        assertEquals("someone else's", Files.readString(dir.resolve("t.0")), "the new file is left alone");
        assertEquals(twinSlot0After, channel.blocksNotWritten());
        final ClosedMarker marker = ClosedMarkerDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(dir.resolve("t.closed"))));
        assertEquals(twinSlot0After, marker.blocksNotWritten(), "the close marker counts them");
        assertEquals(2L * EVENTS, marker.events());
        assertEquals(TraceFiles.blocks(twinDir.resolve("t.global")).size(), TraceFiles.blocks(dir.resolve("t.global")).size(),
            "the global file, still there, got every block");
    }

    private static RelayChannel open(final Path dir) throws IOException
    {
        // No periodic flush: the test decides when blocks are written.
        return RelayChannel.builder().files("t.", dir).geometry(HEADER_LENGTH + PER_SUBBUF * Events.LENGTH, 8).cpus(1)
            .flushInterval(1, TimeUnit.HOURS).open();
    }

    private static void writeAndFlush(final RelayChannel channel, final RelayBuffer buffer, final int first)
    {
        for (int i = first; i < first + EVENTS; i++)
        {
            assertTrue(Events.write(buffer, 1, i));
        }
        channel.flush();
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }

    private interface Action
    {
        void run() throws Exception;
    }

    private static List<String> capturingStderr(final Action action) throws Exception
    {
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try
        {
            action.run();
        }
        finally
        {
            System.setErr(stderr);
        }
        return captured.toString().lines().toList();
    }
}
