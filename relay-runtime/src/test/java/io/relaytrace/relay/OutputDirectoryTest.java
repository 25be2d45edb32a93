package io.relaytrace.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where a trace may go: never through a symbolic link, never into another user's directory, never over a file. */
class OutputDirectoryTest
{
    @Test
    void symbolicLinkIsRefused(@TempDir final Path tmp) throws Exception
    {
        final Path real = Files.createDirectory(tmp.resolve("real"));
        final Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        final IOException ex = assertThrows(IOException.class,
            () -> RelayChannel.builder().files("t.", link).geometry(4096, 2).cpus(1).open());
        assertEquals("output directory " + link + " is a symbolic link; give a real directory", ex.getMessage());
        try (var files = Files.list(real))
        {
            assertEquals(0, files.count(), "nothing written through the link");
        }
    }

    @Test
    void anotherUsersDirectoryIsRefused(@TempDir final Path tmp) throws Exception
    {
        assumeTrue("root".equals(System.getProperty("user.name")), "changing a directory's owner needs root");
        final Path theirs = Files.createDirectory(tmp.resolve("theirs"));
        final UserPrincipal nobody = theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(theirs, nobody);
        final IOException ex = assertThrows(IOException.class,
            () -> RelayChannel.builder().files("t.", theirs).geometry(4096, 2).cpus(1).open());
        assertEquals("output directory " + theirs + " is owned by nobody, not by root; give a directory of your own or a new path",
            ex.getMessage());
    }

    @Test
    void aFileInTheWayIsRefused(@TempDir final Path tmp) throws Exception
    {
        final Path file = Files.writeString(tmp.resolve("file"), "x");
        final IOException ex = assertThrows(IOException.class,
            () -> RelayChannel.builder().files("t.", file).geometry(4096, 2).cpus(1).open());
        assertEquals("output path " + file + " exists and is not a directory", ex.getMessage());
    }

    @Test
    void anExistingDirectoryOfOurOwnIsUsed(@TempDir final Path tmp) throws Exception
    {
        final Path mine = Files.createDirectory(tmp.resolve("mine"));
        RelayChannel.builder().files("t.", mine).geometry(4096, 2).cpus(1).open().close();
        assertTrue(Files.exists(mine.resolve("t.closed")));
    }
}
