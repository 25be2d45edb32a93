package io.relaytrace.viewer.read;

import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;
import io.relaytrace.relay.format.FormatException;
import io.relaytrace.relay.format.MappedBufferRecovery;
import io.relaytrace.relay.format.TraceHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An opened trace: the result of one validating pass over every file of a trace directory. It
 * holds the header, the definitions of the global buffer, a {@link FileReport} per file with a
 * {@link BufferAccount} per buffer, and every {@link Problem} found. The events themselves are
 * read later, as a stream, by {@link #events()}.
 * <p>
 * Guarantees: a damaged, truncated or missing file is a problem, never an exception; memory
 * grows with the number of buffers, methods, threads and damaged regions, not with the number of
 * events; files are read sequentially in large chunks.
 * <p>
 * Example:
 * <pre>{@code
 * Trace trace = Trace.open(Path.of("/tmp/trace"));
 * trace.problems().forEach(System.err::println);
 * try (EventMerge events = trace.events()) {
 *     while (events.next()) {
 *         TraceEvent e = events.event();
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class Trace
{
    /** Window of the validating pass: large sequential reads. */
    private static final int SCAN_WINDOW = 1 << 20;

    private final TraceDirectory directory;
    private final Definitions definitions = new Definitions();
    private final List<FileReport> files = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final BlockContent content = new BlockContent(definitions);
    private final LongObjectMap<BufferAccount> accounts = new LongObjectMap<>();

    private Trace(final TraceDirectory directory)
    {
        this.directory = directory;
    }

    /**
     * Opens and validates a trace directory.
     *
     * @param dir the trace directory.
     * @return the trace.
     * @throws TraceException if the directory is not a trace (one line, fit for a user).
     * @throws IOException    if a file cannot be read.
     */
    public static Trace open(final Path dir) throws TraceException, IOException
    {
        final Trace trace = new Trace(TraceDirectory.open(dir));
        trace.scanAll();
        return trace;
    }

    private void scanAll() throws IOException
    {
        problems.addAll(directory.problems());
        scanFile(directory.globalFileName(), true);
        for (int slot = 0; slot < directory.header().cpus(); slot++)
        {
            scanFile(directory.cpuFileName(slot), false);
        }
        for (final String mapped : directory.mappedFiles())
        {
            salvage(mapped);
        }
        checkAgainstCloseMarker();
    }

    /**
     * Every buffer a cleanly closed channel ever had left blocks in the files (at least its final
     * block), and every event it committed is either in them or counted lost. With no other
     * problem to explain a difference, a file was cut or emptied.
     */
    private void checkAgainstCloseMarker()
    {
        final ClosedMarker closed = directory.closedMarker();
        if (closed != null && closed.blocksNotWritten() > 0)
        {
            problems.add(new Problem(Problem.Kind.INCOMPLETE, directory.base() + ClosedMarkerDescriptor.FILE_SUFFIX, -1,
                "the traced JVM could not write " + closed.blocksNotWritten() + " blocks (disk full or directory gone)"));
        }
        if (closed == null || !problems.isEmpty())
        {
            return;
        }
        int found = 0;
        for (final FileReport file : files)
        {
            found += file.buffers().size();
        }
        if (found < closed.buffers())
        {
            problems.add(new Problem(Problem.Kind.INCOMPLETE, directory.base() + ClosedMarkerDescriptor.FILE_SUFFIX, -1,
                "the close marker counts " + closed.buffers() + " buffers, the files hold blocks of " + found +
                ": a file was truncated or emptied"));
            return;
        }
        long records = 0;
        for (final FileReport file : files)
        {
            records = Counters.sum(records, file.records());
        }
        // The close marker counts the global buffer's records (definitions) as committed events too.
        final long lost = Counters.sum(lost(), definitionsLost());
        if (Counters.sum(records, lost) != closed.events())
        {
            problems.add(new Problem(Problem.Kind.INCOMPLETE, directory.base() + ClosedMarkerDescriptor.FILE_SUFFIX, -1,
                "the close marker counts " + closed.events() + " events committed, the files hold " + records +
                " and account for " + lost + " lost"));
        }
    }

    private void scanFile(final String name, final boolean global) throws IOException
    {
        final Path path = directory.dir().resolve(name);
        if (!Files.isRegularFile(path))
        {
            final FileReport report = new FileReport(name, path, global, false, 0);
            report.mutableProblems().add(new Problem(Problem.Kind.INCOMPLETE, name, -1, global ?
                "missing: the global file holds the method and thread names" :
                "missing: the header says cpus=" + directory.header().cpus() + ", so it should be there"));
            finish(report);
            return;
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final FileReport report = new FileReport(name, path, global, true, channel.size());
            final int capacity = Math.max(directory.header().subbufSize(), SCAN_WINDOW);
            scanBlocks(report, report.window(channel, capacity, capacity), global);
            checkFinalBlocks(report);
            finish(report);
        }
    }

    /**
     * Reads what a mapped buffer file left by a JVM that died holds beyond what the files hold,
     * and reads it as the continuation of that buffer's blocks.
     */
    private void salvage(final String name) throws IOException
    {
        final Path path = directory.dir().resolve(name);
        final MappedBufferRecovery.Salvage salvage;
        try
        {
            salvage = MappedBufferRecovery.salvage(path, (bufferId, sequence) ->
            {
                final BufferAccount account = accounts.get(bufferId);
                return account == null ? 0 : account.contentEndOnDisk(sequence);
            });
        }
        catch (final FormatException ex)
        {
            problems.add(new Problem(Problem.Kind.DAMAGED, name, ex.offset(), ex.getMessage()));
            return;
        }
        int length = 0;
        for (final ByteBuffer block : salvage.blocks())
        {
            length += block.limit();
        }
        final ByteBuffer blocks = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        for (final ByteBuffer block : salvage.blocks())
        {
            blocks.put(block.duplicate().position(0));
        }
        blocks.flip();
        final boolean global = salvage.cpuSlot() < 0;
        final FileReport report = FileReport.salvaged(name, path, global, blocks);
        scanBlocks(report, report.window(null, 0, 0), global);
        if (!isLeftOverByACleanClose(salvage.bufferId(), report))
        {
            report.mutableProblems().add(new Problem(Problem.Kind.INCOMPLETE, name, -1,
                "mapped buffer id=" + salvage.bufferId() + " left by a JVM that died: salvaged " + report.blocks() +
                " blocks, " + report.records() + " events the files did not hold"));
        }
        finish(report);
    }

    /**
     * A mapped buffer file can outlive a clean close: its buffer was retired while the directory
     * was read-only, so the file could not be deleted. With a valid close marker, the buffer's final
     * block in the files, and nothing in the file the files did not hold, it is only a leftover: the
     * trace is whole, and not incomplete for it.
     */
    private boolean isLeftOverByACleanClose(final int bufferId, final FileReport salvaged)
    {
        final BufferAccount account = accounts.get(bufferId);
        return directory.closedMarker() != null && salvaged.blocks() == 0 && account != null && account.finalSeen();
    }

    private void scanBlocks(final FileReport report, final FileWindow window, final boolean global) throws IOException
    {
        final BlockScanner scanner = BlockScanner.validating(
            window, report.name(), directory.header().subbufSize(), report.damagedRegions(), report.mutableProblems());
        while (scanner.next())
        {
            if (scanner.skipIfMisplaced(global))
            {
                continue;
            }
            final int records = content.read(scanner, report, global);
            report.countBlock(records);
            final BufferAccount account = BufferAccount.of(accounts, scanner, report);
            account.add(report, scanner, records, content.otherThread());
        }
    }

    /**
     * A cleanly closed trace ends every buffer with a final block. When a file shows no damage
     * yet some of its buffers have none, the file was cut at a block boundary.
     */
    private void checkFinalBlocks(final FileReport report)
    {
        if (directory.closedMarker() == null || report.damagedRegionCount() > 0)
        {
            return;
        }
        final List<Integer> unfinished = new ArrayList<>();
        for (final BufferAccount account : report.buffers())
        {
            if (!account.finalSeen())
            {
                unfinished.add(account.bufferId());
            }
        }
        if (!unfinished.isEmpty())
        {
            report.mutableProblems().add(new Problem(Problem.Kind.INCOMPLETE, report.name(), report.size(),
                "file truncated at a block boundary: buffers " + unfinished + " have no final block"));
        }
    }

    private void finish(final FileReport report)
    {
        files.add(report);
        problems.addAll(report.problems());
    }

    /**
     * Reads the events of every buffer, merged by timestamp. Each call starts a new pass.
     *
     * @return the stream; close it.
     * @throws IOException if a file cannot be opened.
     */
    public EventMerge events() throws IOException
    {
        return new EventMerge(this);
    }

    public TraceDirectory directory()
    {
        return directory;
    }

    public TraceHeader header()
    {
        return directory.header();
    }

    /** @return the close marker, or null if the trace was not closed cleanly. */
    public ClosedMarker closedMarker()
    {
        return directory.closedMarker();
    }

    /** @return true if the trace has no valid close marker. */
    public boolean isIncomplete()
    {
        return directory.closedMarker() == null;
    }

    public Definitions definitions()
    {
        return definitions;
    }

    /** @return a report per file: the global file first, then per-CPU files by slot. */
    public List<FileReport> files()
    {
        return Collections.unmodifiableList(files);
    }

    /** @return every problem found, in file order. */
    public List<Problem> problems()
    {
        return Collections.unmodifiableList(problems);
    }

    /** @return events lost between blocks, every buffer but the global one (its records are definitions). */
    public long lost()
    {
        return FileReport.total(files, false, FileReport::lost);
    }

    /** @return events dropped because a buffer was full, every buffer but the global one. */
    public long dropped()
    {
        return FileReport.total(files, false, FileReport::dropped);
    }

    /** @return events too big for a sub-buffer, every buffer but the global one. */
    public long tooBig()
    {
        return FileReport.total(files, false, FileReport::tooBig);
    }

    /**
     * @return events the traced JVM's recorder was called for but failed to record (an error inside
     *     it), as the close marker counts them: they are in no file. 0 without a close marker, or
     *     with a version 1 one, which did not count them.
     */
    public long failed()
    {
        final ClosedMarker closed = directory.closedMarker();
        return closed == null ? 0 : closed.failed();
    }

    /** @return definitions (records of the global buffer) lost between its blocks: not events. */
    public long definitionsLost()
    {
        return FileReport.total(files, true, FileReport::lost);
    }

    /**
     * @return definitions the global buffer refused because it was full (the THREAD_DEFs of new
     *     threads, under a storm of them): not events, so not in {@link #dropped()}.
     */
    public long definitionsDropped()
    {
        return FileReport.total(files, true, FileReport::dropped);
    }

    /** @return definitions too big for a sub-buffer of the global buffer: not events. */
    public long definitionsTooBig()
    {
        return FileReport.total(files, true, FileReport::tooBig);
    }
}
