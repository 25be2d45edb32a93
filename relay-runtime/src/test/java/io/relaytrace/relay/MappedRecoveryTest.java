package io.relaytrace.relay;

import io.relaytrace.relay.format.MappedBufferRecovery;
import io.relaytrace.relay.format.SubbufDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** buffers=mmap: a JVM killed with SIGKILL leaves every committed event recoverable. */
class MappedRecoveryTest
{
    @Test
    void killedJvmLosesNoCommittedEvent(@TempDir final Path tmp) throws Exception
    {
        final Path dir = tmp.resolve("trace");
        final int perThread = 1000; // 16 KB per thread: fits in 8 x 4 KB sub-buffers, nothing lapped
        final Process child = new ProcessBuilder(
            ProcessHandle.current().info().command().orElseThrow(),
            "--add-exports", "java.base/jdk.internal.access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            MappedChild.class.getName(), dir.toString(), Integer.toString(perThread))
            .redirectErrorStream(true).start();
        final long committed;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream())))
        {
            final String line = out.readLine();
            assertNotNull(line, "child said nothing");
            assertTrue(line.startsWith("committed "), line);
            committed = Long.parseLong(line.substring("committed ".length()));
        }
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(3L * perThread, committed);
        assertFalse(Files.exists(dir.resolve("t.closed")), "no clean close");

        // What the files already hold, per buffer and sub-buffer.
        final Map<Integer, Map<Long, Integer>> onDisk = new HashMap<>();
        final Set<String> seen = new HashSet<>();
        long inFiles = 0;
        for (final TraceFiles.Block block : TraceFiles.allBlocks(dir, "t.", 2))
        {
            onDisk.computeIfAbsent(block.bufferId(), k -> new HashMap<>())
                .merge(block.sequence(), block.contentOffset() + block.content().limit(), Math::max);
            inFiles += count(block.content(), seen);
        }

        final List<Path> mapped = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir))
        {
            files.filter(p -> p.toString().endsWith(".mmap")).forEach(mapped::add);
        }
        assertEquals(4, mapped.size(), "global buffer and three carriers");
        long recovered = 0;
        for (final Path file : mapped)
        {
            final MappedBufferRecovery.Salvage salvage = MappedBufferRecovery.salvage(file,
                (bufferId, seq) -> onDisk.getOrDefault(bufferId, Map.of()).getOrDefault(seq, 0));
            for (final ByteBuffer block : salvage.blocks())
            {
                assertEquals(SubbufDescriptor.FLAG_RECOVERED, block.getShort(SubbufDescriptor.FLAGS_OFFSET) & SubbufDescriptor.FLAG_RECOVERED);
                final ByteBuffer content = block.duplicate().position(SubbufDescriptor.HEADER_LENGTH).slice().order(ByteOrder.LITTLE_ENDIAN);
                recovered += count(content, seen);
            }
        }
        assertEquals(committed, inFiles + recovered, "files " + inFiles + " + recovered " + recovered);
        // 249 events fit a sub-buffer: each thread's last 1000 - 4 * 249 = 4 events were never
        // flushed (the child's flush interval is an hour) and exist only in the mapped files.
        assertTrue(recovered >= 12, "recovered " + recovered);
        assertEquals(committed, seen.size(), "no event twice");
    }

    private static long count(final ByteBuffer content, final Set<String> seen)
    {
        long n = 0;
        for (int at = 0; at < content.limit(); at += Events.LENGTH)
        {
            assertTrue(seen.add(Events.writer(content, at) + ":" + Events.seq(content, at)), "duplicate event");
            n++;
        }
        return n;
    }
}
