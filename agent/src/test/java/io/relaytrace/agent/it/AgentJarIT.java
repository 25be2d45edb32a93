package io.relaytrace.agent.it;

import com.acme.workload.OwnByteBuddy;
import net.bytebuddy.ByteBuddy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent jar's layout: agent classes and ASM relocated under io.relaytrace.agent, and only the
 * runtime and the tracer API the instrumented code calls in the nested boot jar; so an application
 * with its own Byte Buddy (and the ASM inside it) runs as without the agent. The copy of the boot jar beside the agent jar, put on
 * the boot class path at launch, spares the JVM's CDS notice, and one from another build is refused.
 */
class AgentJarIT
{
    static final Path BOOT_JAR = ChildJvm.AGENT_JAR.resolveSibling("relaytrace-boot.jar");

    @Test
    void agentJarHoldsOnlyRelocatedClassesAndTheBootJar() throws Exception
    {
        final List<String> foreign = new ArrayList<>();
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile()))
        {
            final Attributes manifest = jar.getManifest().getMainAttributes();
            assertEquals("io.relaytrace.agent.AgentEntry", manifest.getValue("Premain-Class"));
            assertEquals("io.relaytrace.agent.AgentEntry", manifest.getValue("Agent-Class"));
            assertEquals("io.relaytrace.agent.cli.AgentCommand", manifest.getValue("Main-Class"));
            assertEquals("true", manifest.getValue("Can-Retransform-Classes"));
            assertEquals("true", manifest.getValue("Can-Redefine-Classes"));
            assertNotNull(jar.getEntry("io/relaytrace/agent/shaded/asm/ClassReader.class"));

            jar.stream().map(JarEntry::getName)
                .filter(name -> name.endsWith(".class"))
                .filter(name -> !name.startsWith("io/relaytrace/agent/") || name.startsWith("io/relaytrace/agent/bootstrap/"))
                .forEach(foreign::add);
            assertEquals(List.of(), foreign, "classes outside io/relaytrace/agent (bootstrap excluded)");

            final List<String> boot = new ArrayList<>();
            try (InputStream in = jar.getInputStream(jar.getEntry("META-INF/relaytrace/relaytrace-boot.jar"));
                 JarInputStream bootJar = new JarInputStream(in))
            {
                for (JarEntry entry = bootJar.getNextJarEntry(); entry != null; entry = bootJar.getNextJarEntry())
                {
                    if (entry.getName().endsWith(".class"))
                    {
                        boot.add(entry.getName());
                    }
                }
            }
            assertTrue(boot.contains("io/relaytrace/agent/bootstrap/Tracer.class"), "Tracer in " + boot);
            assertTrue(boot.contains("io/relaytrace/relay/RelayChannel.class"), "RelayChannel in " + boot);
            assertTrue(boot.contains("io/relaytrace/event/EventDescriptor.class"), "EventDescriptor in " + boot);
            assertEquals(List.of(), boot.stream()
                .filter(name -> !name.startsWith("io/relaytrace/relay/") && !name.startsWith("io/relaytrace/event/") &&
                    !name.startsWith("io/relaytrace/agent/bootstrap/"))
                .toList(), "boot jar holds only the runtime and the bootstrap API");
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void applicationWithItsOwnByteBuddyIsUnaffected(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final List<Path> classpath = List.of(ChildJvm.TEST_CLASSES,
            Path.of(ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        final String main = OwnByteBuddy.class.getName();
        final ChildJvm untraced = ChildJvm.start(jdk, List.of(), ChildJvm.AGENT_JAR, null, classpath, main).finish();
        final ChildJvm traced = ChildJvm.start(jdk, List.of(), ChildJvm.AGENT_JAR, "include=com.acme.**,output=" + dir.resolve("t1"),
            classpath, main).finish();

        assertEquals(List.of("generated com.acme.workload.Generated with net.bytebuddy.ByteBuddy from true net.bytebuddy.safe=null"),
            untraced.stdout(), () -> "stderr=" + untraced.stderr());
        assertEquals(untraced.stdout(), traced.stdout());
        final List<String> expectedStderr = new ArrayList<>(untraced.stderr());
        expectedStderr.add(0, ChildJvm.JVM_CDS_NOTICE);
        assertEquals(expectedStderr, traced.stderr());
        assertEquals(0, traced.exitCode());
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void bootJarBesideTheAgentOnTheBootClassPathSparesTheCdsNotice(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path trace = dir.resolve("t1");
        final ChildJvm untraced = ChildJvm.run(jdk, null);
        final ChildJvm traced = ChildJvm.start(jdk, List.of("-Xbootclasspath/a:" + BOOT_JAR), ChildJvm.AGENT_JAR,
            "include=com.acme.**,output=" + trace, List.of(ChildJvm.TEST_CLASSES), ChildJvm.WORKLOAD).finish();

        assertEquals(List.of(), traced.stderr(), "nothing at all on stderr");
        assertEquals(untraced.stdout(), traced.stdout());
        final WorkloadCounts counts = WorkloadCounts.of(jdk, 1, true, true);
        final TraceSummary summary = TraceSummary.of(trace);
        counts.assertMatches(summary);
        assertEquals(2 * counts.totalCalls(), summary.number("events"));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void bootJarFromAnotherBuildIsRefused(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path agent = Files.copy(ChildJvm.AGENT_JAR, dir.resolve("relaytrace-agent.jar"));
        final Path stale = dir.resolve("relaytrace-boot.jar");
        rewrite(BOOT_JAR, stale);
        final Path trace = dir.resolve("t1");
        final ChildJvm untraced = ChildJvm.run(jdk, null);
        final ChildJvm child = ChildJvm.start(jdk, List.of("-Xbootclasspath/a:" + stale), agent,
            "include=com.acme.**,output=" + trace, List.of(ChildJvm.TEST_CLASSES), ChildJvm.WORKLOAD).finish();

        assertEquals(List.of("relaytrace: cannot put the runtime on the bootstrap class path (" + stale + " is from another " +
            "build of the agent; replace it with the one built with relaytrace-agent.jar or delete it); not tracing"), child.stderr());
        assertEquals(0, child.exitCode());
        assertEquals(untraced.stdout(), child.stdout());
        assertFalse(Files.exists(trace));
    }

    /** The same classes in a jar whose bytes differ: what a boot jar of another build looks like. */
    private static void rewrite(final Path from, final Path to) throws Exception
    {
        try (JarFile in = new JarFile(from.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(to)))
        {
            out.setLevel(Deflater.BEST_SPEED);
            for (final JarEntry entry : Collections.list(in.entries()))
            {
                out.putNextEntry(new JarEntry(entry.getName()));
                try (InputStream bytes = in.getInputStream(entry))
                {
                    bytes.transferTo(out);
                }
                out.closeEntry();
            }
        }
    }
}
