package io.relaytrace.viewer.export;

import io.relaytrace.event.EventDescriptor;
import io.relaytrace.viewer.read.BufferAccount;
import io.relaytrace.viewer.read.Definitions;
import io.relaytrace.viewer.read.EventMerge;
import io.relaytrace.viewer.read.FileReport;
import io.relaytrace.viewer.read.LongObjectMap;
import io.relaytrace.viewer.read.Trace;
import io.relaytrace.viewer.read.TraceEvent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A CTF 1.8 trace directory (Common Trace Format, read by babeltrace2 and Trace Compass): a plain
 * TSDL {@code metadata} file ({@link CtfMetadata}) and one data stream file per file of the trace
 * that holds events ({@code stream-trace.0} for {@code trace.0}, and so on), written by
 * {@link CtfStream}.
 * <p>
 * Every ENTER, EXIT and THROW record is one event, {@code method_entry}, {@code method_exit} or
 * {@code method_exception}, with the method, the thread's id and name, whether it is virtual, the
 * carrier it ran on and, for {@code method_exception}, the exception class. THREAD records are not
 * events (each event names its thread). The environment holds the trace's totals of events lost,
 * dropped and too big ({@code events_lost}, {@code events_dropped}, {@code events_too_big}) and
 * {@code incomplete} (1 if not closed cleanly): the trace cannot say when they were lost, which
 * CTF's discarded-event counters would need. Clock values are nanoseconds since the trace's first
 * event or its header's clock origin, whichever is earlier; the clock's offset places them in real
 * time.
 * <p>
 * Guarantees: as many events as {@code summary} counts; events in timestamp order in each stream;
 * memory as for {@code summary}.
 * <p>
 * Example: {@code relaytrace-viewer export /tmp/trace --format ctf -o /tmp/ctf && babeltrace2 /tmp/ctf}.
 */
public final class CtfExport
{
    private CtfExport()
    {
    }

    /**
     * @param dir where the CTF trace should go.
     * @return null if it can be written there (a new or empty directory), else one line saying why not.
     */
    public static String checkTarget(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return dir.toAbsolutePath().getParent() != null && Files.isDirectory(dir.toAbsolutePath().getParent()) ? null :
                "-o " + dir + ": its parent directory does not exist";
        }
        if (!Files.isDirectory(dir))
        {
            return "-o " + dir + " is a file: ctf needs a new or empty directory";
        }
        try (Stream<Path> files = Files.list(dir))
        {
            return files.findAny().isPresent() ? "-o " + dir + " is not empty: ctf needs a new or empty directory" : null;
        }
    }

    /**
     * Writes the CTF trace.
     *
     * @param trace an opened trace.
     * @param dir   a directory {@link #checkTarget} accepted.
     * @return events written.
     * @throws IOException if the trace cannot be read or the CTF trace written.
     */
    public static long write(final Trace trace, final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        final Definitions definitions = trace.definitions();
        final Map<Integer, Integer> streamOfBuffer = new HashMap<>();
        final List<String> streamNames = new ArrayList<>();
        for (final FileReport file : trace.files())
        {
            if (file.isGlobal() || file.buffers().stream().noneMatch(b -> b.records() > 0))
            {
                continue;
            }
            for (final BufferAccount buffer : file.buffers())
            {
                streamOfBuffer.put(buffer.bufferId(), streamNames.size());
            }
            streamNames.add("stream-" + file.name());
        }
        final CtfStream[] streams = new CtfStream[streamNames.size()];
        final Names names = new Names(definitions);
        long events = 0;
        try (EventMerge merge = trace.events())
        {
            long zero = trace.header().clockNanoTime();
            boolean first = true;
            while (merge.next())
            {
                final TraceEvent e = merge.event();
                final int eventId = eventId(e.type());
                if (eventId < 0)
                {
                    continue;
                }
                if (first)
                {
                    zero = Math.min(zero, e.timestamp());
                    writeMetadata(trace, dir, zero);
                    first = false;
                }
                final int index = streamOfBuffer.get(e.bufferId());
                CtfStream stream = streams[index];
                if (stream == null)
                {
                    stream = new CtfStream(dir.resolve(streamNames.get(index)), index);
                    streams[index] = stream;
                }
                final long threadId = e.threadId();
                stream.event(eventId, e.timestamp() - zero, names.method(e.methodId()), threadId, names.thread(threadId),
                    definitions.isVirtual(threadId), e.carrierId(),
                    eventId == CtfMetadata.METHOD_EXCEPTION ? names.exception(e.exceptionClassId()) : null);
                events++;
            }
            if (first)
            {
                writeMetadata(trace, dir, zero);
            }
        }
        finally
        {
            closeAll(streams);
        }
        return events;
    }

    /** The metadata goes first: its clock's zero is known once the first event is read. */
    private static void writeMetadata(final Trace trace, final Path dir, final long zero) throws IOException
    {
        Files.writeString(dir.resolve("metadata"), CtfMetadata.text(trace.header().toEpochNanos(zero),
            trace.header().pid(), "relaytrace export of " + trace.directory().dir().toAbsolutePath(), trace.lost(),
            trace.dropped(), trace.tooBig(), trace.isIncomplete()), StandardCharsets.UTF_8);
    }

    private static int eventId(final int type)
    {
        switch (type)
        {
            case EventDescriptor.ENTER: return CtfMetadata.METHOD_ENTRY;
            case EventDescriptor.EXIT: return CtfMetadata.METHOD_EXIT;
            case EventDescriptor.THROW: return CtfMetadata.METHOD_EXCEPTION;
            default: return -1;
        }
    }

    private static void closeAll(final CtfStream[] streams) throws IOException
    {
        IOException failure = null;
        for (final CtfStream stream : streams)
        {
            if (stream != null)
            {
                try
                {
                    stream.close();
                }
                catch (final IOException ex)
                {
                    failure = ex;
                }
            }
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    /**
     * The names of methods, threads and exception classes as CTF strings, encoded once each.
     * The global file (every definition) is read when the trace is opened, before any event.
     */
    private static final class Names
    {
        private final Definitions definitions;
        private final Map<Integer, byte[]> methods = new HashMap<>();
        private final Map<Integer, byte[]> classes = new HashMap<>();
        private final LongObjectMap<byte[]> threads = new LongObjectMap<>();

        Names(final Definitions definitions)
        {
            this.definitions = definitions;
        }

        byte[] method(final int methodId)
        {
            return methods.computeIfAbsent(methodId, id -> CtfStream.cString(definitions.methodName(id)));
        }

        byte[] exception(final int classId)
        {
            return classes.computeIfAbsent(classId, id -> CtfStream.cString(definitions.className(id)));
        }

        byte[] thread(final long threadId)
        {
            byte[] name = threads.get(threadId);
            if (name == null)
            {
                name = CtfStream.cString(definitions.threadName(threadId));
                threads.put(threadId, name);
            }
            return name;
        }
    }
}
