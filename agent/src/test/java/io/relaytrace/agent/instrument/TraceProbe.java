package io.relaytrace.agent.instrument;

import io.relaytrace.agent.bootstrap.Recorder;
import io.relaytrace.agent.bootstrap.Tracer;
import io.relaytrace.agent.config.AgentOptions;
import io.relaytrace.agent.config.OptionsException;
import io.relaytrace.agent.config.OptionsParser;
import io.relaytrace.agent.testing.BufferRecords;
import io.relaytrace.event.EventDescriptor;
import io.relaytrace.relay.RelayChannel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A real trace in this JVM for instrumentation tests: a buffer-only channel, a {@link Recorder}
 * installed in {@link Tracer}, and the records read back from the channel's memory. Classes
 * rewritten by a test are defined in a loader of their own, where they call the same {@link Tracer}.
 */
final class TraceProbe implements AutoCloseable
{
    final RelayChannel channel;
    final Recorder recorder;
    final MethodIds ids;

    TraceProbe() throws IOException
    {
        channel = RelayChannel.builder().geometry(64 * 1024, 4).cpus(1).open();
        recorder = new Recorder(channel, false);
        ids = new MethodIds(recorder);
        Tracer.install(recorder);
    }

    static AgentOptions options(final String text)
    {
        try
        {
            return new OptionsParser(Instant.EPOCH, 1, 1).parse(text);
        }
        catch (final OptionsException ex)
        {
            throw new IllegalArgumentException(ex);
        }
    }

    static byte[] classFile(final Class<?> type)
    {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class"))
        {
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return the class defined from {@code classFile} in a new loader that sees everything else through this test's. */
    static Class<?> define(final String className, final byte[] classFile) throws ClassNotFoundException
    {
        return define(className, classFile, TraceProbe.class.getClassLoader());
    }

    /**
     * @param parent where the new loader looks for every other class: the platform loader makes a
     *               loader that cannot see {@link Tracer} (as a loader that does not delegate to
     *               the bootstrap class path would not).
     * @return the class defined from {@code classFile} in a new loader.
     */
    static Class<?> define(final String className, final byte[] classFile, final ClassLoader parent)
        throws ClassNotFoundException
    {
        final ClassLoader loader = new ClassLoader(parent)
        {
            @Override
            protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException
            {
                if (!name.equals(className))
                {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name))
                {
                    final Class<?> loaded = findLoadedClass(name);
                    return loaded != null ? loaded : defineClass(name, classFile, 0, classFile.length);
                }
            }
        };
        return Class.forName(className, true, loader);
    }

    /** @return the records of this thread's buffer (read once: reading consumes them). */
    List<ByteBuffer> events()
    {
        return BufferRecords.of(channel.buffer());
    }

    /** @return the records of the global buffer: the definitions, those staged so far moved in first. */
    List<ByteBuffer> definitions()
    {
        channel.moveStagedGlobal();
        return BufferRecords.of(channel.globalBuffer());
    }

    static List<Integer> types(final List<ByteBuffer> records)
    {
        final List<Integer> types = new ArrayList<>();
        records.forEach(record -> types.add(EventDescriptor.type(record.getInt(0))));
        return types;
    }

    static List<Integer> methodIds(final List<ByteBuffer> records)
    {
        final List<Integer> methodIds = new ArrayList<>();
        records.forEach(record -> methodIds.add(record.getInt(EventDescriptor.METHOD_ID_OFFSET)));
        return methodIds;
    }

    @Override
    public void close()
    {
        Tracer.uninstall(recorder);
        channel.close();
    }
}
