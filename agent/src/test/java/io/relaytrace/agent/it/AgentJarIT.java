package io.relaytrace.agent.it;

import com.acme.workload.OwnByteBuddy;
import net.bytebuddy.ByteBuddy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent jar's layout: agent classes and Byte Buddy relocated under io.relaytrace.agent, and
 * only the runtime and the advice's event API in the nested boot jar; so an application with its
 * own Byte Buddy runs as without the agent.
 */
class AgentJarIT
{
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
            assertNotNull(jar.getEntry("io/relaytrace/agent/shaded/bytebuddy/ByteBuddy.class"));

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
        final ChildJvm untraced = ChildJvm.start(jdk, null, classpath, main);
        untraced.closeStdin();
        untraced.await();
        final ChildJvm traced = ChildJvm.start(jdk, "include=com.acme.**,output=" + dir.resolve("t1"), classpath, main);
        traced.closeStdin();
        traced.await();

        assertEquals(List.of("generated com.acme.workload.Generated with net.bytebuddy.ByteBuddy from true net.bytebuddy.safe=null"),
            untraced.stdout(), () -> "stderr=" + untraced.stderr());
        assertEquals(untraced.stdout(), traced.stdout());
        assertEquals(untraced.stderr(), traced.stderrWithoutCdsNotice());
        assertEquals(0, traced.exitCode());
    }
}
