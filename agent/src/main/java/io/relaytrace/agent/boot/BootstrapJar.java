package io.relaytrace.agent.boot;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.JarFile;

/**
 * Puts the boot jar (relay runtime plus {@code io.relaytrace.agent.bootstrap}, carried inside the
 * agent jar as {@value #RESOURCE}) on the bootstrap class path, once per JVM.
 * <p>
 * Why: the inlined advice runs inside classes of every class loader and must reach one copy of the
 * runtime; only the bootstrap loader is visible from all of them. The jar is copied to a private
 * temporary file (owner-only, deleted at exit) because the bootstrap search takes a file.
 */
public final class BootstrapJar
{
    static final String RESOURCE = "/META-INF/relaytrace/relaytrace-boot.jar";
    /** A class of the boot jar with no dependencies, loaded to find out whether the jar is appended. */
    static final String PROBE_CLASS = "io.relaytrace.event.EventDescriptor";

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
            probe = findProbe();
            if (probe == null)
            {
                throw new IOException("boot jar " + jar + " appended but " + PROBE_CLASS + " is not found by the bootstrap loader");
            }
        }
        return probe.getModule();
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

    private static Path extract() throws IOException
    {
        final Path jar = Files.createTempFile("relaytrace-boot-", ".jar",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        jar.toFile().deleteOnExit();
        try (InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                throw new IOException("the agent jar lacks " + RESOURCE + "; rebuild the agent");
            }
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        return jar;
    }
}
