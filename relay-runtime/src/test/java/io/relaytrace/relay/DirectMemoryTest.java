package io.relaytrace.relay;

import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.relaytrace.relay.DirectMemoryChild.EVENTS;
import static io.relaytrace.relay.DirectMemoryChild.THREADS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direct memory exhausted by carrier buffers (a child JVM with {@code -XX:MaxDirectMemorySize=2m},
 * 256 KiB a buffer): the carriers that come online after the first failed allocation get no buffer,
 * and no allocation is tried again for them (each would stall its thread in the JDK's retries);
 * their events are counted as unattributed, exactly; one line on stderr; a buffer given back by a
 * carrier that ended serves the next carrier.
 */
class DirectMemoryTest
{
    @Test
    void exhaustedDirectMemoryIsSaidOnceAndEveryEventCounted(@TempDir final Path tmp) throws Exception
    {
        final Path dir = tmp.resolve("trace");
        final Process child = new ProcessBuilder(
            ProcessHandle.current().info().command().orElseThrow(), "-XX:MaxDirectMemorySize=2m",
            "--add-exports", "java.base/jdk.internal.access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), DirectMemoryChild.class.getName(), dir.toString()).start();
        final List<String> out = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
        {
            reader.lines().forEach(out::add);
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        final List<String> err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, child.exitValue(), () -> "stdout=" + out + " stderr=" + err);

        assertEquals(1, err.size(), () -> "one line: " + err);
        assertTrue(err.get(0).matches("relaytrace: cannot allocate a buffer for carrier writer-[0-9]+ \\(Cannot reserve 262144 " +
            "bytes of direct buffer memory .*\\); from now on carriers only get buffers that others gave back, events " +
            "without one are counted as unattributed; give a larger -XX:MaxDirectMemorySize, a smaller subbuf-size or " +
            "subbufs, or buffers=mmap"), err.get(0));
        final long[] phase1 = counts(out.get(0), "phase1");
        final long withBuffer = phase1[0] / EVENTS;
        assertEquals(EVENTS * withBuffer, phase1[0], "each thread all or nothing: " + out);
        assertTrue(withBuffer >= 1 && withBuffer < THREADS, () -> "some threads got memory, not all: " + out);
        assertEquals(EVENTS * (THREADS - withBuffer), phase1[1], "every event without a buffer counted");
        final long[] phase2 = counts(out.get(1), "phase2");
        assertEquals(phase1[0] + EVENTS, phase2[0], "the buffer given back serves the next carrier");
        assertEquals(phase1[1], phase2[1]);

        final ClosedMarker marker = ClosedMarkerDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(dir.resolve("t.closed"))));
        assertEquals(phase2[0], marker.events());
        assertEquals(phase2[1], marker.unattributed());
    }

    /** @return {@code [written, unattributed]} from a line {@code PHASE written=W unattributed=U}. */
    private static long[] counts(final String line, final String phase)
    {
        final String[] words = line.split(" ");
        assertEquals(phase, words[0], line);
        return new long[] {Long.parseLong(words[1].substring("written=".length())),
            Long.parseLong(words[2].substring("unattributed=".length()))};
    }
}
