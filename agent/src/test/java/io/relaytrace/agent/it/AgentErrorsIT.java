package io.relaytrace.agent.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A user error makes the agent print one line on stderr and step aside: the application runs, exits
 * 0 and prints exactly what it prints untraced.
 */
class AgentErrorsIT
{
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void badOptionsOneLineAndTheApplicationRunsUntraced(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path trace = dir.resolve("never");
        final ChildJvm untraced = ChildJvm.run(jdk, null);
        final ChildJvm unknown = ChildJvm.run(jdk, "include=com.acme.**,output=" + trace + ",colour=red");
        final ChildJvm badSize = ChildJvm.run(jdk, "include=com.acme.**,output=" + trace + ",subbuf-size=12q");
        final ChildJvm noInclude = ChildJvm.run(jdk, "output=" + trace);

        assertAll(
            () -> assertEquals(List.of("relaytrace: unknown option 'colour'; accepted keys: include, exclude, output, mode, " +
                "subbuf-size, subbufs, flush-interval, cpus, buffers, clock, config; not tracing"), unknown.stderr()),
            () -> assertEquals(List.of("relaytrace: subbuf-size=12q is not a size from 112 bytes to 2047m; expected bytes " +
                "with an optional k or m suffix, e.g. 256k; not tracing"), badSize.stderr()),
            () -> assertEquals(List.of("relaytrace: no include= given; give at least one include=PATTERN such as " +
                "include=com.acme.** or include=com.acme.Cart::add*; not tracing"), noInclude.stderr()));
        for (final ChildJvm child : List.of(unknown, badSize, noInclude))
        {
            assertEquals(0, child.exitCode());
            assertEquals(untraced.stdout(), child.stdout());
        }
        assertFalse(Files.exists(trace), "no trace directory after an options error");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void uncreatableOutputDirectoryOneLineAndTheApplicationRunsUntraced(final Jdk jdk, @TempDir final Path dir)
        throws Exception
    {
        final Path file = Files.writeString(dir.resolve("plain-file"), "not a directory");
        final Path trace = file.resolve("t1");
        final ChildJvm untraced = ChildJvm.run(jdk, null);
        final ChildJvm child = ChildJvm.run(jdk, "include=com.acme.**,output=" + trace);

        assertEquals(0, child.exitCode());
        assertEquals(untraced.stdout(), child.stdout());
        assertEquals(List.of("relaytrace: cannot create the trace in output=" + trace + " (" + file + " is not a directory); " +
            "give output=DIR naming a directory that can be created and written; not tracing"), child.stderr());
        assertEquals("not a directory", Files.readString(file));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void outputDirectoryHoldingATraceIsRefused(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path trace = dir.resolve("t1");
        final ChildJvm first = ChildJvm.run(jdk, "include=com.acme.Recursion,output=" + trace);
        final ChildJvm second = ChildJvm.run(jdk, "include=com.acme.Recursion,output=" + trace);

        assertEquals(List.of(ChildJvm.JVM_CDS_NOTICE), first.stderr());
        assertEquals(List.of("relaytrace: output=" + trace + " already holds a trace (" + trace.resolve("trace.header") +
            " exists); give a new or empty directory; not tracing"), second.stderr());
        assertEquals(0, second.exitCode());
        assertEquals(first.stdout(), second.stdout());
    }
}
