package io.relaytrace.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OutputDirectoryTest
{
    @Test
    void newOrEmptyDirectoriesPassAndNothingIsCreated(@TempDir final Path dir) throws Exception
    {
        OutputDirectory.check(dir);
        OutputDirectory.check(dir.resolve("a/b/c"));
        assertFalse(Files.exists(dir.resolve("a")));
    }

    @Test
    void aFileInTheWayOrAnUsedDirectoryFail(@TempDir final Path dir) throws IOException
    {
        final Path file = Files.writeString(dir.resolve("file"), "x");
        assertEquals("cannot create the trace in output=" + file.resolve("t1") + " (" + file + " is not a directory); " +
                "give output=DIR naming a directory that can be created and written",
            assertThrows(OptionsException.class, () -> OutputDirectory.check(file.resolve("t1"))).getMessage());
        assertEquals("cannot create the trace in output=" + file + " (" + file + " exists and is not a directory); " +
                "give output=DIR naming a directory that can be created and written",
            assertThrows(OptionsException.class, () -> OutputDirectory.check(file)).getMessage());

        Files.writeString(dir.resolve("trace.header"), "");
        assertEquals("output=" + dir + " already holds a trace (" + dir.resolve("trace.header") + " exists); " +
                "give a new or empty directory",
            assertThrows(OptionsException.class, () -> OutputDirectory.check(dir)).getMessage());
    }
}
