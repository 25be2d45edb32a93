package io.relaytrace.agent.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.jar.JarFile;

/**
 * Puts the boot jar (relay runtime plus {@code io.relaytrace.agent.bootstrap}, carried inside the
 * agent jar as {@value #RESOURCE}) on the bootstrap class path, once per JVM.
 * <p>
 * Why: the inlined advice runs inside classes of every class loader and must reach one copy of the
 * runtime; only the bootstrap loader is visible from all of them. The jar is copied to a private
 * temporary file (owner-only, deleted at exit) because the bootstrap search takes a file.
 * <p>
 * The build also puts the same jar next to the agent jar as {@value #SIBLING}, which the agent's
 * {@code Boot-Class-Path} names: with {@code -javaagent} the JVM then appends it while starting, and
 * HotSpot prints no class-data-sharing notice (it does for an append at run time). The runtime is
 * then found already on the bootstrap path; this class checks that the sibling is byte for byte the
 * copy this agent carries, so a boot jar from another build is never used.
 */
public final class BootstrapJar
{
    static final String RESOURCE = "/META-INF/relaytrace/relaytrace-boot.jar";
    /** A class of the boot jar with no dependencies, loaded to find out whether the jar is appended. */
    static final String PROBE_CLASS = "io.relaytrace.event.EventDescriptor";
    /** The boot jar's name next to the agent jar, as in the agent's {@code Boot-Class-Path}. */
    static final String SIBLING = "relaytrace-boot.jar";
    private static final int MAX_NAME_ATTEMPTS = 100;
    /** A copy's name: {@code relaytrace-boot-<pid>-<hex>.jar}, the pid of the JVM that uses it. */
    static final String COPY_PREFIX = "relaytrace-boot-";
    static final String COPY_SUFFIX = ".jar";

    /** Whether an earlier load of the agent in this JVM (an attach) appended the boot jar itself. */
    private static boolean appended;

    private BootstrapJar()
    {
    }

    /**
     * Appends the boot jar unless a previous load of the agent (an earlier attach) did.
     *
     * @param inst the instrumentation of this agent load.
     * @return the bootstrap class loader's unnamed module, which holds the runtime.
     * @throws IOException if the jar cannot be extracted.
     */
    public static Module append(final Instrumentation inst) throws IOException
    {
        Class<?> probe = findProbe();
        if (probe == null)
        {
            final Path jar = extract();
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
            appended = true;
            probe = findProbe();
            if (probe == null)
            {
                throw new IOException("boot jar " + jar + " appended but " + PROBE_CLASS + " is not found by the bootstrap loader");
            }
        }
        else if (!appended)
        {
            checkSibling();
        }
        return probe.getModule();
    }

    /** The runtime came from the JVM's own append of {@code Boot-Class-Path}: it must be this build's. */
    private static void checkSibling() throws IOException
    {
        final Path sibling = agentJar().resolveSibling(SIBLING);
        if (!Files.isRegularFile(sibling))
        {
            return; // on the bootstrap path by other means (-Xbootclasspath/a): the user's choice
        }
        final byte[] carried;
        try (InputStream in = resource())
        {
            carried = in.readAllBytes();
        }
        if (!Arrays.equals(carried, Files.readAllBytes(sibling)))
        {
            throw new IOException(sibling + " is from another build of the agent; replace it with the one built with " +
                agentJar().getFileName() + " or delete it");
        }
    }

    private static Path agentJar() throws IOException
    {
        try
        {
            return Path.of(BootstrapJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (final URISyntaxException | RuntimeException ex)
        {
            throw new IOException("cannot locate the agent jar: " + ex.getMessage());
        }
    }

    private static InputStream resource() throws IOException
    {
        final InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE);
        if (in == null)
        {
            throw new IOException("the agent jar lacks " + RESOURCE + "; rebuild the agent");
        }
        return in;
    }

    private static Class<?> findProbe()
    {
        try
        {
            return Class.forName(PROBE_CLASS, false, null);
        }
        catch (final ClassNotFoundException ex)
        {
            return null;
        }
    }

    /**
     * Copies the boot jar to a new owner-only file in the temporary directory. Not
     * {@code Files.createTempFile}: its random names come from a {@code SecureRandom}, whose
     * providers cost the application's start about 15 ms of loading and seeding. The name is the
     * JVM's pid and a clock reading; the file is created exclusively (never an existing file or a
     * link someone planted), and a name taken already is skipped for the next. The copies that
     * JVMs killed before their exit hooks ran left behind are removed first.
     */
    private static Path extract() throws IOException
    {
        final Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        removeStaleCopies(dir);
        final String prefix = COPY_PREFIX + ProcessHandle.current().pid() + "-";
        for (int attempt = 1; ; attempt++)
        {
            final Path jar = dir.resolve(prefix + Long.toHexString(System.nanoTime()) + COPY_SUFFIX);
            try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(jar,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))));
                 InputStream in = resource())
            {
                jar.toFile().deleteOnExit();
                in.transferTo(out);
                return jar;
            }
            catch (final FileAlreadyExistsException ex)
            {
                if (attempt == MAX_NAME_ATTEMPTS)
                {
                    throw new IOException("no free name for the boot jar in " + dir + " after " + attempt + " attempts, " +
                        "last " + ex.getFile());
                }
            }
        }
    }

    /**
     * Deletes the copies of JVMs that no longer run: a JVM killed with {@code kill -9} (or crashed)
     * never ran the exit hook that deletes its copy. Only this user's files, only names that carry a
     * pid, and only where no process of that pid runs now (a reused pid keeps the file: harmless).
     * Best effort: a copy that cannot be deleted stays, the attach goes on.
     *
     * @param dir the temporary directory.
     * @return how many copies were deleted.
     */
    static int removeStaleCopies(final Path dir)
    {
        int removed = 0;
        try (java.nio.file.DirectoryStream<Path> copies = Files.newDirectoryStream(dir, COPY_PREFIX + "*" + COPY_SUFFIX))
        {
            for (final Path copy : copies)
            {
                final long pid = pidOf(copy.getFileName().toString());
                if (pid > 0 && ProcessHandle.of(pid).isEmpty() && ownedByMe(copy) && Files.deleteIfExists(copy))
                {
                    removed++;
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // A directory that cannot be listed: nothing to clean, and nothing to stop the attach for.
        }
        return removed;
    }

    /** @return the pid in a copy's name, or -1 for a name without one (copies made before pids were named). */
    static long pidOf(final String name)
    {
        final int start = COPY_PREFIX.length();
        final int end = name.indexOf('-', start);
        if (!name.startsWith(COPY_PREFIX) || end <= start)
        {
            return -1;
        }
        try
        {
            return Long.parseLong(name.substring(start, end));
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private static boolean ownedByMe(final Path copy) throws IOException
    {
        return Files.getOwner(copy, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"));
    }
}
