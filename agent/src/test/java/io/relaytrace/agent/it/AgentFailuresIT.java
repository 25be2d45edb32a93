package io.relaytrace.agent.it;

import com.acme.workload.Workload;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures inside the agent's own code path, from real causes (no switch that injects them): caught,
 * counted, said once on stderr; the application's output and exit status are those of an untraced
 * run with the same JVM options. (A stack overflow striking inside the recorder:
 * {@code TracedWorkloadIT#stackOverflowsInsideTheTracerLeaveTheApplicationAndTheTraceWhole}.)
 */
class AgentFailuresIT
{
    /**
     * {@code -XX:MaxDirectMemorySize} leaves room for the global buffer and one carrier's (the pool
     * filled at start, taken by main), not for the pool threads' and virtual-thread carriers' buffers:
     * their events are counted as unattributed, exactly, and the allocation is not tried again for
     * each thread (which would stall every new thread in the JDK's allocation retries).
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void directMemoryTooSmallForTheBuffersCountsTheEventsAndTheApplicationRunsOn(final Jdk jdk, @TempDir final Path dir)
        throws Exception
    {
        final Path trace = dir.resolve("t1");
        // 1 MiB a buffer; the channel's scratch (256 KiB), the global buffer and one pooled buffer fit 3 MiB, no more.
        final List<String> jvm = List.of("-XX:MaxDirectMemorySize=3m");
        final ChildJvm untraced = ChildJvm.start(jdk, jvm, ChildJvm.AGENT_JAR, null, List.of(ChildJvm.TEST_CLASSES),
            ChildJvm.WORKLOAD).finish();
        final ChildJvm traced = ChildJvm.start(jdk, jvm, ChildJvm.AGENT_JAR,
            "include=com.acme.**,output=" + trace + ",subbuf-size=256k,subbufs=4,cpus=1", List.of(ChildJvm.TEST_CLASSES),
            ChildJvm.WORKLOAD).finish();

        assertEquals(0, untraced.exitCode(), () -> "stderr=" + untraced.stderr());
        assertEquals(0, traced.exitCode(), () -> "stderr=" + traced.stderr());
        assertEquals(untraced.stdout(), traced.stdout(), "the application's output");
        assertEquals(2, traced.stderr().size(), () -> "stderr=" + traced.stderr());
        assertEquals(ChildJvm.JVM_CDS_NOTICE, traced.stderr().get(0));
        assertTrue(traced.stderr().get(1).matches("relaytrace: cannot allocate a buffer for carrier [^ ]+ \\(Cannot reserve " +
            "1048576 bytes of direct buffer memory .*\\); from now on carriers only get buffers that others gave back, events " +
            "without one are counted as unattributed; give a larger -XX:MaxDirectMemorySize, a smaller subbuf-size or " +
            "subbufs, or buffers=mmap"), traced.stderr().get(1));

        final ChildJvm check = TraceSummary.viewer("check", trace);
        assertEquals(0, check.exitCode(), () -> String.join("\n", check.stdout()));
        final long unattributed = closedMarkerCounter(check.stdout(), "unattributed");
        final TraceSummary summary = TraceSummary.of(trace);
        final long attempted = 2 * WorkloadCounts.of(jdk, 1, true, true).totalCalls();
        System.out.println("AgentFailuresIT " + jdk + ": " + summary.number("events") + " events in the trace, " + unattributed +
            " unattributed, of " + attempted);
        assertAll(
            () -> assertTrue(unattributed > 0, "the threads without a buffer"),
            () -> assertEquals(attempted, summary.number("events") + unattributed, () -> "every event in the trace or counted: " +
                summary),
            () -> assertEquals(0, summary.number("dropped")),
            () -> assertEquals(0, summary.number("lost")),
            // The main thread has the one buffer: its calls are all there.
            () -> assertArrayEquals(new long[] {Workload.RECURSION_DEPTH + 1 + Workload.ISOLATED_DEPTH + 1, 0},
                summary.callsAndExceptions("com.acme.workload.Recursion.depth(int)")),
            () -> assertArrayEquals(new long[] {Workload.THROWS, Workload.THROWS},
                summary.callsAndExceptions("com.acme.workload.Thrower.level1(int)")));
    }

    /**
     * A method within 4 bytes of the class-file limit on code length: the advice makes it too large,
     * so its class cannot be instrumented and runs as it is; another class is traced as usual.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aClassThatCannotBeInstrumentedRunsAsItIs(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path classes = compileHugeMethod();
        final Path trace = dir.resolve("t1");
        final ChildJvm untraced = ChildJvm.start(jdk, List.of(), ChildJvm.AGENT_JAR, null, List.of(classes), "gen.Big").finish();
        final ChildJvm traced = ChildJvm.start(jdk, List.of(), ChildJvm.AGENT_JAR, "include=gen.**,output=" + trace,
            List.of(classes), "gen.Big").finish();

        assertEquals(0, traced.exitCode(), () -> "stderr=" + traced.stderr());
        assertEquals(untraced.stdout(), traced.stdout(), "the application's output");
        assertEquals(2, traced.stderr().size(), () -> "stderr=" + traced.stderr());
        assertEquals(ChildJvm.JVM_CDS_NOTICE, traced.stderr().get(0));
        final String line = traced.stderr().get(1);
        assertTrue(line.startsWith("relaytrace: cannot instrument gen.Big (") && line.contains("MethodTooLargeException") &&
            line.endsWith("); it runs untraced, further such failures are only counted"), line);

        final TraceSummary summary = TraceSummary.of(trace);
        assertEquals(List.of("gen.Fine.twice(int)"), summary.methodNames(), "Big untraced, Fine traced");
        assertArrayEquals(new long[] {1, 0}, summary.callsAndExceptions("gen.Fine.twice(int)"));
        assertEquals(2, summary.number("events"));
        assertFalse(summary.flag("incomplete"));
    }

    /** Compiled once for both JDKs' runs. */
    private static Path hugeMethodClasses;

    /**
     * Writes and compiles (for Java 17) {@code gen.Big}, whose {@code run} has 65,531 bytes of code
     * (7,281 statements of 9 bytes and a 2-byte return; the limit is 65,535), and {@code gen.Fine}.
     */
    private static synchronized Path compileHugeMethod() throws Exception
    {
        if (hugeMethodClasses != null)
        {
            return hugeMethodClasses;
        }
        final Path dir = Path.of(System.getProperty("relaytrace.work.dir", "target/it-work"), "huge-method");
        final Path sources = Files.createDirectories(dir.resolve("src/gen"));
        final StringBuilder big = new StringBuilder("package gen;\n\npublic final class Big\n{\n" +
            "    public static void main(final String[] args)\n    {\n" +
            "        System.out.println(\"run=\" + run(3) + \" twice=\" + Fine.twice(21));\n    }\n\n" +
            "    static int run(int x)\n    {\n");
        for (int i = 0; i < 7281; i++)
        {
            big.append("        x = x * 31 + 1000;\n"); // iload_0 bipush imul sipush iadd istore_0: 9 bytes
        }
        big.append("        return x;\n    }\n}\n");
        Files.writeString(sources.resolve("Big.java"), big);
        Files.writeString(sources.resolve("Fine.java"), "package gen;\n\npublic final class Fine\n{\n" +
            "    static int twice(final int x)\n    {\n        return 2 * x;\n    }\n}\n");
        final Path classes = Files.createDirectories(dir.resolve("classes"));
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        final int status = javac.run(null, errors, errors, "--release", "17", "-d", classes.toString(),
            sources.resolve("Big.java").toString(), sources.resolve("Fine.java").toString());
        assertEquals(0, status, errors::toString);
        hugeMethodClasses = classes;
        return classes;
    }

    /** @return a counter of {@code check}'s close-marker line ({@code closed cleanly: ..., KEY N, ...}). */
    static long closedMarkerCounter(final List<String> checkOutput, final String key)
    {
        for (final String line : checkOutput)
        {
            if (line.startsWith("closed cleanly: "))
            {
                for (final String part : line.substring("closed cleanly: ".length()).split(", "))
                {
                    if (part.startsWith(key + " "))
                    {
                        return Long.parseLong(part.substring(key.length() + 1));
                    }
                }
            }
        }
        throw new AssertionError("no '" + key + "' in check's close marker line: " + checkOutput);
    }
}
