package io.relaytrace.agent.it;

import com.acme.workload.Workload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's buffer options reach the runtime: every mode and mmap buffers keep every event when
 * the buffers are large enough, and tiny discard-mode buffers drop events that are all accounted for.
 */
class ModesIT
{
    @ParameterizedTest
    @ValueSource(strings = {
        "mode=overwrite",
        "mode=flight-recorder",
        "buffers=mmap",
        // Small sub-buffers, many switches; room enough that a slow flusher on a loaded machine drops nothing.
        "mode=discard,subbuf-size=4k,subbufs=512,flush-interval=50ms",
    })
    void everyEventKept(final String options, @TempDir final Path dir) throws Exception
    {
        final Path trace = dir.resolve("t1");
        final ChildJvm child = ChildJvm.run(Jdk.JDK_25, "include=com.acme.**,output=" + trace + "," + options);
        assertEquals(0, child.exitCode(), () -> "stderr=" + child.stderr());
        assertEquals(List.of(ChildJvm.JVM_CDS_NOTICE), child.stderr());
        try (Stream<Path> files = Files.list(trace))
        {
            assertFalse(files.anyMatch(file -> file.getFileName().toString().endsWith(".mmap")),
                "mapped buffers are deleted after a clean close");
        }

        final TraceSummary summary = TraceSummary.of(trace);
        final WorkloadCounts counts = WorkloadCounts.of(Jdk.JDK_25, 1, true, true);
        assertAll(
            () -> assertEquals(0, summary.number("lost"), "lost"),
            () -> assertEquals(0, summary.number("dropped"), "dropped"),
            () -> assertFalse(summary.flag("incomplete"), "incomplete"),
            () -> assertEquals(2 * counts.totalCalls(), summary.number("events"), "events"));
        counts.assertMatches(summary);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void fullDiscardBuffersDropAndCountEveryRefusedEvent(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path trace = dir.resolve("t1");
        // Two sub-buffers of 152 bytes of content, no flush while the workload runs: most of the
        // 212 events of the two recursions cannot fit.
        final ChildJvm child = ChildJvm.run(jdk, "include=com.acme.workload.Recursion,output=" + trace +
            ",subbuf-size=256,subbufs=2,flush-interval=60s");
        assertEquals(0, child.exitCode());
        assertEquals(List.of(ChildJvm.JVM_CDS_NOTICE), child.stderr());

        final TraceSummary summary = TraceSummary.of(trace);
        final long attempted = 2L * (Workload.RECURSION_DEPTH + 1 + Workload.ISOLATED_DEPTH + 1);
        final long dropped = summary.number("dropped");
        assertTrue(dropped > 0, () -> "dropped=" + dropped + " in " + summary);
        assertEquals(attempted, summary.number("events") + dropped, () -> "every event written or counted: " + summary);
        assertEquals(0, summary.number("lost"));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aSmallFlightRecorderKeepsItsLastEventsDecodable(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path trace = dir.resolve("t1");
        // 8 KiB per buffer, global buffer included: the main thread's events overflow its buffer,
        // the definitions written at the start are overwritten by later ones (THREAD_DEFs, many
        // on JDK 25), and written again at close.
        final ChildJvm child = ChildJvm.run(jdk, "include=com.acme.**,output=" + trace +
            ",mode=flight-recorder,subbuf-size=1k,subbufs=8");
        assertEquals(0, child.exitCode());
        assertEquals(List.of(ChildJvm.JVM_CDS_NOTICE), child.stderr());

        final TraceSummary summary = TraceSummary.of(trace);
        assertTrue(summary.number("lost") > 0, () -> "the snapshot is the last sub-buffers only: " + summary);
        assertTrue(summary.number("events") > 0, () -> summary.toString());
        final List<String> names = summary.methodNames();
        assertFalse(names.isEmpty());
        assertEquals(List.of(), names.stream().filter(name -> !name.startsWith("com.acme.workload.")).toList(),
            "every method of the snapshot is defined");
    }
}
