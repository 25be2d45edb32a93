package io.relaytrace.viewer.read;

import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a trace while it is being written: each {@link #poll} validates and decodes only the
 * blocks appended to each file since the last poll, and hands their events to a
 * {@link CallStacks}, in timestamp order within the poll.
 * <p>
 * A block still being appended at the end of a file (the file ends inside it) is not damage here:
 * it is read again at the next poll, complete by then. Likewise a damaged region that runs to the
 * end of a file is read again, until a poll that begins after the clean-close marker appeared:
 * the channel wrote everything before the marker, so that poll reads all there is and reports
 * whatever is still wrong.
 * <p>
 * Assumptions: files only grow; events of one poll are sorted by timestamp, but a block flushed
 * late may hold events older than those of an earlier poll, which then reach the stacks out of
 * order (an exit before its entry reads as an orphan exit). Memory: as {@link Trace}, plus the
 * events of one poll, which reads at most 2 MiB of blocks ({@link #behind()} then says there is more).
 * <p>
 * Example:
 * <pre>{@code
 * TraceFollower follower = TraceFollower.open(dir);
 * CallStacks stacks = new CallStacks(listener);
 * while (!follower.finished()) {
 *     follower.poll(stacks);
 *     Thread.sleep(1000);
 * }
 * }</pre>
 */
public final class TraceFollower implements AutoCloseable
{
    /**
     * Bytes of blocks one poll reads at most, shared between the files: a poll keeps the events
     * it read (about 4 per 64 bytes), so a long backlog is read over several polls.
     */
    private static final long POLL_BYTES = 2L << 20;

    private final TraceDirectory directory;
    private final Definitions definitions = new Definitions();
    private final BlockContent content = new BlockContent(definitions);
    private final List<GrowingFile> files = new ArrayList<>();
    private final LongObjectMap<BufferAccount> accounts = new LongObjectMap<>();
    private final LongObjectMap<BufferEvents> streams = new LongObjectMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<TraceEvent> batch = new ArrayList<>();
    private boolean finished;
    private boolean behind;
    /** The close marker's Events Failed, decoded by the first poll that finishes; -1 before. */
    private long failed = -1;

    /** One file of the trace and how far it has been read. */
    private static final class GrowingFile
    {
        final FileReport report;
        final boolean global;
        FileChannel channel;
        FileWindow window;
        long position;
        int published;

        GrowingFile(final FileReport report, final boolean global)
        {
            this.report = report;
            this.global = global;
        }
    }

    private TraceFollower(final TraceDirectory directory)
    {
        this.directory = directory;
        final Path dir = directory.dir();
        files.add(new GrowingFile(new FileReport(directory.globalFileName(), dir.resolve(directory.globalFileName()),
            true, true, 0), true));
        for (int slot = 0; slot < directory.header().cpus(); slot++)
        {
            final String name = directory.cpuFileName(slot);
            files.add(new GrowingFile(new FileReport(name, dir.resolve(name), false, true, 0), false));
        }
    }

    /**
     * @param dir a trace directory whose header has been written.
     * @return a follower that has read nothing yet.
     * @throws TraceException if the directory is not a trace.
     * @throws IOException    if it cannot be read.
     */
    public static TraceFollower open(final Path dir) throws TraceException, IOException
    {
        return new TraceFollower(TraceDirectory.open(dir));
    }

    /**
     * Reads what was appended since the last poll. The clean-close marker is looked for first, so
     * that the poll that sees it reads everything written before the channel closed.
     *
     * @param stacks receives the new events, in timestamp order.
     * @return events (ENTER, EXIT, THROW, THREAD) read.
     * @throws IOException if a file cannot be read.
     */
    public int poll(final CallStacks stacks) throws IOException
    {
        final boolean last = Files.isRegularFile(directory.dir().resolve(directory.base() + ClosedMarkerDescriptor.FILE_SUFFIX));
        batch.clear();
        behind = false;
        final long budget = Math.max(directory.header().subbufSize(), POLL_BYTES / files.size());
        for (final GrowingFile file : files)
        {
            behind |= !readAppended(file, last, budget);
        }
        batch.sort(Comparator.comparingLong(TraceEvent::timestamp).thenComparingInt(TraceEvent::bufferId));
        for (final TraceEvent event : batch)
        {
            stacks.accept(event);
        }
        finished = last && !behind;
        if (finished && failed < 0)
        {
            // As follow always read it: a close marker it cannot decode counts none (its problems are
            // not the follower's, which reports what it read of the event files).
            final ClosedMarker closed = TraceDirectory.readClosed(directory.dir(),
                directory.base() + ClosedMarkerDescriptor.FILE_SUFFIX, new ArrayList<>());
            failed = closed == null ? 0 : closed.failed();
        }
        return batch.size();
    }

    /** @return false if more than {@code budget} bytes were appended: the rest is for the next poll. */
    private boolean readAppended(final GrowingFile file, final boolean last, final long budget) throws IOException
    {
        if (file.channel == null)
        {
            try
            {
                file.channel = FileChannel.open(file.report.path(), StandardOpenOption.READ);
            }
            catch (final NoSuchFileException ex)
            {
                return true; // not created yet
            }
            final int capacity = Math.max(directory.header().subbufSize(), 1 << 20);
            file.window = new FileWindow(file.channel, 0, capacity, capacity);
        }
        final long size = file.channel.size();
        if (size <= file.position)
        {
            return true;
        }
        file.window.extend(size);
        final DamagedRegions found = new DamagedRegions();
        final List<Problem> foundProblems = new ArrayList<>();
        final FileReport report = file.report;
        final BlockScanner scanner = BlockScanner.validatingFrom(
            file.window, report.name(), directory.header().subbufSize(), found, foundProblems, file.position);
        final long from = file.position;
        boolean exhausted = true;
        while (true)
        {
            if (file.position - from >= budget && file.position < size)
            {
                exhausted = false;
                break;
            }
            if (!scanner.next())
            {
                break;
            }
            if (scanner.skipIfMisplaced(file.global))
            {
                file.position = scanner.blockEnd();
                continue;
            }
            final int records = content.read(scanner, report, file.global);
            report.countBlock(records);
            final BufferAccount account = BufferAccount.of(accounts, scanner, report);
            account.add(report, scanner, records, content.otherThread());
            if (!file.global)
            {
                decode(scanner, account);
            }
            file.position = scanner.blockEnd();
        }
        final int regions = found.count();
        // A damaged region to the end of the file may be a block still being appended: read again next
        // poll. Not a misplaced block, which is whole (the position is already past it).
        final boolean tailPending = exhausted && !last && regions > 0 && found.end(regions - 1) == size &&
            file.position < size;
        for (int i = 0; i < regions - (tailPending ? 1 : 0); i++)
        {
            report.damagedRegions().add(found.start(i), found.end(i));
            file.position = Math.max(file.position, found.end(i));
        }
        report.mutableProblems().addAll(tailPending ? foundProblems.subList(0, foundProblems.size() - 1) : foundProblems);
        problems.addAll(report.problems().subList(file.published, report.problems().size()));
        file.published = report.problems().size();
        return exhausted;
    }

    private void decode(final BlockScanner scanner, final BufferAccount account)
    {
        BufferEvents stream = streams.get(account.bufferId());
        if (stream == null)
        {
            stream = new BufferEvents(List.of(), account, definitions);
            streams.put(account.bufferId(), stream);
        }
        stream.enterBlock(scanner);
        while (stream.nextInBlock())
        {
            final TraceEvent copy = new TraceEvent();
            copy.copyFrom(stream.event());
            batch.add(copy);
        }
    }

    /** @return true if the last poll left appended blocks for the next one (it reads at most 2 MiB). */
    public boolean behind()
    {
        return behind;
    }

    /**
     * @return events the traced JVM failed to record, as the close marker counts them; 0 until
     *     {@link #finished()}, and without a readable marker.
     */
    public long failed()
    {
        return Math.max(0, failed);
    }

    /** @return true once a poll that began after the clean-close marker appeared read everything there will be. */
    public boolean finished()
    {
        return finished;
    }

    public Definitions definitions()
    {
        return definitions;
    }

    /** @return a report per file, the global file first; sizes are not kept. */
    public List<FileReport> files()
    {
        final List<FileReport> reports = new ArrayList<>(files.size());
        for (final GrowingFile file : files)
        {
            reports.add(file.report);
        }
        return reports;
    }

    /** @return the damage found so far (a block still being appended is not). */
    public List<Problem> problems()
    {
        return Collections.unmodifiableList(problems);
    }

    @Override
    public void close() throws IOException
    {
        IOException failure = null;
        for (final GrowingFile file : files)
        {
            if (file.channel != null)
            {
                try
                {
                    file.channel.close();
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
}
