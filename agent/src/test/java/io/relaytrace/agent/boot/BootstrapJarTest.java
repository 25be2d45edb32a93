package io.relaytrace.agent.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The boot jar's temporary copies: a JVM killed before its exit hook leaves its copy behind, and the
 * next attach removes it; the copies of running JVMs, and files that are not copies, stay.
 */
class BootstrapJarTest
{
    @Test
    void copiesOfJvmsThatNoLongerRunAreRemoved(@TempDir final Path tmp) throws Exception
    {
        final Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        final long deadPid = ended.pid();
        final long livePid = ProcessHandle.current().pid();
        final Path dead = Files.createFile(tmp.resolve("relaytrace-boot-" + deadPid + "-1f2e3d.jar"));
        final Path live = Files.createFile(tmp.resolve("relaytrace-boot-" + livePid + "-4c5b6a.jar"));
        final Path legacy = Files.createFile(tmp.resolve("relaytrace-boot-1f2e3d4c.jar"));
        final Path sibling = Files.createFile(tmp.resolve("relaytrace-boot.jar"));
        final Path other = Files.createFile(tmp.resolve("relaytrace-boot-" + deadPid + "-1f2e3d.txt"));

        assertEquals(1, BootstrapJar.removeStaleCopies(tmp));
        try (Stream<Path> left = Files.list(tmp))
        {
            assertEquals(
                List.of(legacy, live, other, sibling).stream().map(Path::getFileName).map(Path::toString).sorted().toList(),
                left.map(Path::getFileName).map(Path::toString).sorted().toList(),
                "only " + dead.getFileName() + " removed");
        }
    }

    @Test
    void aPidIsReadOnlyFromACopysName()
    {
        assertEquals(1234, BootstrapJar.pidOf("relaytrace-boot-1234-ab12.jar"));
        assertEquals(-1, BootstrapJar.pidOf("relaytrace-boot-ab12.jar"));
        assertEquals(-1, BootstrapJar.pidOf("relaytrace-boot-x1-ab12.jar"));
        assertEquals(-1, BootstrapJar.pidOf("relaytrace-boot--ab12.jar"));
        assertEquals(-1, BootstrapJar.pidOf("other-1234-ab12.jar"));
    }

    @Test
    void aDirectoryThatCannotBeListedIsNoError(@TempDir final Path tmp)
    {
        assertEquals(0, BootstrapJar.removeStaleCopies(tmp.resolve("absent")));
    }
}
