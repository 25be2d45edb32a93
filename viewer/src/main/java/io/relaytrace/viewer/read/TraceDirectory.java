package io.relaytrace.viewer.read;

import io.relaytrace.relay.RelayChannel;
import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;
import io.relaytrace.relay.format.FormatException;
import io.relaytrace.relay.format.MappedBufferDescriptor;
import io.relaytrace.relay.format.TraceHeader;
import io.relaytrace.relay.format.TraceHeaderDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A trace directory's layout: the base name found from its {@code <base>header} file, the decoded
 * header, the clean-close marker if there is a valid one, and the names of the other files.
 * <p>
 * Guarantees: anything that makes the directory unreadable as a trace (not a directory, no header
 * file, several, a header that does not decode or has an impossible geometry) is a
 * {@link TraceException} with one line saying what was wrong; a missing or damaged close marker
 * is a {@link Problem}, never an exception.
 */
public final class TraceDirectory
{
    /** Headers larger than this are not headers: refuse rather than read them whole. */
    private static final long MAX_HEADER_FILE = 16L << 20;
    /** Sub-buffers larger than this cannot have been written by the runtime. */
    static final int MAX_SUBBUF_SIZE = 1 << 30;

    private final Path dir;
    private final String base;
    private final TraceHeader header;
    private final ClosedMarker closed;
    private final List<Problem> problems;
    private final List<String> mappedFiles;

    private TraceDirectory(
        final Path dir, final String base, final TraceHeader header, final ClosedMarker closed,
        final List<Problem> problems, final List<String> mappedFiles)
    {
        this.dir = dir;
        this.base = base;
        this.header = header;
        this.closed = closed;
        this.problems = problems;
        this.mappedFiles = mappedFiles;
    }

    /**
     * @param dir a trace directory.
     * @return its layout.
     * @throws TraceException if it is not a readable trace.
     * @throws IOException    if the directory cannot be listed or its header read.
     */
    public static TraceDirectory open(final Path dir) throws TraceException, IOException
    {
        if (!Files.exists(dir))
        {
            throw new TraceException("no such directory: " + dir);
        }
        if (!Files.isDirectory(dir))
        {
            throw new TraceException(dir + " is not a directory: give a trace directory (the one holding trace.header)");
        }
        final String headerName = findHeader(dir);
        final String base = headerName.substring(0, headerName.length() - TraceHeaderDescriptor.FILE_SUFFIX.length());
        final TraceHeader header = readHeader(dir, headerName);

        final List<Problem> problems = new ArrayList<>();
        final ClosedMarker closed = readClosed(dir, base + ClosedMarkerDescriptor.FILE_SUFFIX, problems);
        final List<String> mapped = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir))
        {
            files.map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith(base + "buffer") && n.endsWith(MappedBufferDescriptor.SUFFIX))
                .sorted()
                .forEach(mapped::add);
        }
        return new TraceDirectory(dir, base, header, closed, problems, mapped);
    }

    private static String findHeader(final Path dir) throws TraceException, IOException
    {
        final List<String> headers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir))
        {
            files.filter(Files::isRegularFile)
                .map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(TraceHeaderDescriptor.FILE_SUFFIX))
                .sorted()
                .forEach(headers::add);
        }
        if (headers.isEmpty())
        {
            throw new TraceException(dir + " is not a relaytrace trace: no <base>" + TraceHeaderDescriptor.FILE_SUFFIX +
                " file (such as trace.header) in it");
        }
        if (headers.size() > 1)
        {
            throw new TraceException(dir + " holds several traces (" + String.join(", ", headers) +
                "): give a directory with one");
        }
        return headers.get(0);
    }

    private static TraceHeader readHeader(final Path dir, final String name) throws TraceException, IOException
    {
        final Path path = dir.resolve(name);
        final long size = Files.size(path);
        if (size > MAX_HEADER_FILE)
        {
            throw new TraceException(path + " is not a relaytrace header: size=" + size + " bytes, more than " +
                MAX_HEADER_FILE);
        }
        final TraceHeader header;
        try
        {
            header = TraceHeaderDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(path)));
        }
        catch (final FormatException ex)
        {
            throw new TraceException(path + " is not a valid trace header: " + ex.getMessage());
        }
        if (header.subbufSize() < RelayChannel.MIN_SUBBUF_SIZE || header.subbufSize() > MAX_SUBBUF_SIZE ||
            header.cpus() < 1 || header.cpus() > 4096 || header.nSubbufs() < 1)
        {
            throw new TraceException(path + " has an impossible geometry: subbufSize=" + header.subbufSize() +
                " nSubbufs=" + header.nSubbufs() + " cpus=" + header.cpus() + " (accepted: subbufSize " +
                RelayChannel.MIN_SUBBUF_SIZE + ".." + MAX_SUBBUF_SIZE + ", nSubbufs >= 1, cpus 1..4096)");
        }
        return header;
    }

    static ClosedMarker readClosed(final Path dir, final String name, final List<Problem> problems)
        throws IOException
    {
        final Path path = dir.resolve(name);
        if (!Files.isRegularFile(path))
        {
            problems.add(new Problem(Problem.Kind.INCOMPLETE, name, -1,
                "missing: the trace was not closed cleanly (the JVM died or is still writing)"));
            return null;
        }
        if (Files.size(path) > ClosedMarkerDescriptor.LENGTH * 2L)
        {
            problems.add(new Problem(Problem.Kind.DAMAGED, name, -1, "close marker of " + Files.size(path) +
                " bytes, expected " + ClosedMarkerDescriptor.LENGTH));
            return null;
        }
        try
        {
            return ClosedMarkerDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(path)));
        }
        catch (final FormatException ex)
        {
            problems.add(new Problem(Problem.Kind.DAMAGED, name, ex.offset(), ex.getMessage()));
            return null;
        }
    }

    public Path dir()
    {
        return dir;
    }

    /** @return the base name, e.g. {@code trace.} */
    public String base()
    {
        return base;
    }

    public TraceHeader header()
    {
        return header;
    }

    /** @return the valid close marker, or null if the trace is incomplete. */
    public ClosedMarker closedMarker()
    {
        return closed;
    }

    /** @return the per-CPU file of a slot, e.g. {@code trace.0}. */
    public String cpuFileName(final int slot)
    {
        return base + slot;
    }

    /** @return the global buffer's file, e.g. {@code trace.global}. */
    public String globalFileName()
    {
        return base + "global";
    }

    /** @return problems with the close marker and leftover files. */
    List<Problem> problems()
    {
        return problems;
    }

    /** @return mapped buffer files left in the directory. */
    public List<String> mappedFiles()
    {
        return mappedFiles;
    }
}
