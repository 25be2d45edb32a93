package io.relaytrace.relay;

import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;
import io.relaytrace.relay.format.TraceHeader;
import io.relaytrace.relay.format.TraceHeaderDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * A trace directory's files: the header, one file per CPU slot ({@code <base><n>}), the global
 * buffer's file ({@code <base>global}) and, at clean close, the marker ({@code <base>closed}).
 * Used by one thread at a time (under the channel's drain lock).
 * <p>
 * A block that cannot be written (disk full, a file-size limit, an I/O error) is counted, the file
 * is cut back to its last whole block, and one line goes to stderr per failure episode; writing
 * resumes when the file system accepts it again, and the missing events show as a gap in the
 * sub-buffers' event counts.
 * <p>
 * A file deleted (or replaced) under the flusher would otherwise swallow every later block without
 * an error: the open descriptor still writes, to an unlinked inode. So each append first checks that
 * the path still names the file opened; once it does not, that file's blocks are counted as not
 * written, one line goes to stderr (once for the whole trace), and nothing is written or recreated
 * there again: the definitions went with the deleted files, so a new file could not be decoded.
 * Limit: a block appended in the instant between the check and the deletion is lost with the file.
 */
final class OutputFiles implements AutoCloseable
{
    private static final FileAttribute<?> OWNER_ONLY_DIR =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    static final FileAttribute<?> OWNER_ONLY_FILE =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private static final Set<StandardOpenOption> CREATE_FOR_WRITE =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private static final long RECOVERED_AFTER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private final Path parent;
    private final String base;
    private final Path[] paths;
    private final FileChannel[] files;
    private final long[] positions;
    /** Identity (device and inode) of each file and of the directory as opened; null where unknown. */
    private final Object[] keys;
    private final Object parentKey;
    private final boolean[] deleted;
    private long blocksNotWritten;
    private boolean failing;
    private long lastFailure;
    private boolean deletionReported;

    private OutputFiles(final Path parent, final String base, final Path[] paths, final FileChannel[] files) throws IOException
    {
        this.parent = parent;
        this.base = base;
        this.paths = paths;
        this.files = files;
        this.positions = new long[files.length];
        this.keys = new Object[files.length];
        for (int i = 0; i < files.length; i++)
        {
            keys[i] = fileKey(paths[i]);
        }
        this.parentKey = fileKey(parent);
        this.deleted = new boolean[files.length];
    }

    /**
     * Creates the directory (owner-only) if missing, the header file, and one empty file per CPU
     * slot plus the global file.
     */
    static OutputFiles create(
        final Path parent, final String base, final int cpus, final RelayCallbacks callbacks,
        final TraceHeader header) throws IOException
    {
        createDirectory(parent);
        final Path headerPath = parent.resolve(base + TraceHeaderDescriptor.FILE_SUFFIX);
        writeWhole(headerPath, TraceHeaderDescriptor.encode(header));

        final Path[] paths = new Path[cpus + 1];
        final FileChannel[] files = new FileChannel[cpus + 1];
        try
        {
            for (int slot = 0; slot <= cpus; slot++)
            {
                final boolean global = slot == cpus;
                final String name = base + (global ? "global" : Integer.toString(slot));
                paths[slot] = callbacks.createBufFile(name, parent, global ? -1 : slot, global);
                files[slot] = FileChannel.open(paths[slot], CREATE_FOR_WRITE, OWNER_ONLY_FILE);
            }
            return new OutputFiles(parent, base, paths, files);
        }
        catch (final IOException | RuntimeException ex)
        {
            for (final FileChannel file : files)
            {
                closeQuietly(file);
            }
            throw ex;
        }
    }

    /** @return the file's identity as the file system gives it (device and inode on Linux), or null. */
    private static Object fileKey(final Path path) throws IOException
    {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /**
     * @return whether {@code path} no longer names the file identified by {@code key}: removed, or
     *     replaced by another. An error other than a missing file says nothing: the write decides.
     */
    private static boolean isGone(final Path path, final Object key)
    {
        if (key == null)
        {
            return false;
        }
        try
        {
            return !key.equals(fileKey(path));
        }
        catch (final NoSuchFileException ex)
        {
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static void createDirectory(final Path parent) throws IOException
    {
        if (Files.isSymbolicLink(parent))
        {
            throw new IOException("output directory " + parent + " is a symbolic link; give a real directory");
        }
        if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS))
        {
            try
            {
                Files.createDirectories(parent.toAbsolutePath().getParent());
                Files.createDirectory(parent, OWNER_ONLY_DIR);
            }
            catch (final FileAlreadyExistsException ex)
            {
                throw new IOException("output path " + parent + " exists and is not a directory");
            }
            return;
        }
        // An existing directory must be ours: a trace written into another user's directory could
        // be read, replaced or removed by that user.
        final String owner = Files.getOwner(parent, LinkOption.NOFOLLOW_LINKS).getName();
        final String user = System.getProperty("user.name");
        if (!owner.equals(user))
        {
            throw new IOException("output directory " + parent + " is owned by " + owner + ", not by " + user +
                "; give a directory of your own or a new path");
        }
    }

    private static void writeWhole(final Path path, final ByteBuffer content) throws IOException
    {
        try (FileChannel file = FileChannel.open(path, CREATE_FOR_WRITE, OWNER_ONLY_FILE))
        {
            final ByteBuffer src = content.duplicate().position(0);
            while (src.hasRemaining())
            {
                file.write(src);
            }
            file.force(true);
        }
    }

    /**
     * Appends a block to a slot's file.
     *
     * @param slot  the CPU slot, or -1 for the global file.
     * @param block the block, position 0 to limit.
     * @return true if written whole.
     */
    boolean append(final int slot, final ByteBuffer block)
    {
        final int index = slot < 0 ? files.length - 1 : slot;
        if (deleted[index] || isGone(paths[index], keys[index]))
        {
            deletedFile(index);
            return false;
        }
        final FileChannel file = files[index];
        final long position = positions[index];
        block.position(0);
        try
        {
            while (block.hasRemaining())
            {
                file.write(block, position + block.position());
            }
            positions[index] = position + block.limit();
            // An almost full disk still takes small blocks: call it recovered only after a
            // quiet second, so that one episode prints one line each way.
            if (failing && System.nanoTime() - lastFailure > RECOVERED_AFTER_NANOS)
            {
                failing = false;
                System.err.println("relaytrace: writing to " + paths[index] + " works again; blocks not written so far: " +
                    blocksNotWritten);
            }
            return true;
        }
        catch (final IOException ex)
        {
            blocksNotWritten++;
            lastFailure = System.nanoTime();
            try
            {
                file.truncate(position);
            }
            catch (final IOException ignore)
            {
                // The next successful write overwrites the partial block at the same position.
            }
            if (!failing)
            {
                failing = true;
                System.err.println("relaytrace: cannot write " + paths[index] + " (" + ex.getMessage() +
                    "); counting lost blocks and retrying");
            }
            return false;
        }
    }

    private void deletedFile(final int index)
    {
        deleted[index] = true;
        blocksNotWritten++;
        if (!deletionReported)
        {
            deletionReported = true;
            System.err.println("relaytrace: the trace file " + paths[index] + " was deleted or replaced; not writing " +
                "there again, its blocks are counted as not written from now on");
        }
    }

    long blocksNotWritten()
    {
        return blocksNotWritten;
    }

    /** Syncs the data written so far (the flusher does it at each periodic flush). */
    void force()
    {
        for (final FileChannel file : files)
        {
            try
            {
                file.force(false);
            }
            catch (final IOException ignore)
            {
                // A failing disk shows up as failed appends, which are counted.
            }
        }
    }

    /**
     * Writes the clean-close marker, last of all; not when the trace directory itself was deleted or
     * replaced (already reported): a marker alone, or in someone else's new directory, would mislead.
     * It is the one file a trace creates after it started (with heap buffers): a directory made
     * read-only under a running trace loses only it, and the trace then reads as incomplete.
     *
     * @throws IOException if it cannot be written, saying why.
     */
    void writeClosedMarker(final ClosedMarker marker) throws IOException
    {
        force();
        if (deletionReported && isGone(parent, parentKey))
        {
            return;
        }
        try
        {
            writeWhole(parent.resolve(base + ClosedMarkerDescriptor.FILE_SUFFIX), ClosedMarkerDescriptor.encode(marker));
        }
        catch (final IOException ex)
        {
            throw explained(ex);
        }
    }

    /**
     * @param ex a failure to create or write a file.
     * @return {@code ex}, or for a permission refused (whose JDK message is only the file's name) an
     *     exception whose message says so: {@code <file>: permission denied}.
     */
    static IOException explained(final IOException ex)
    {
        if (ex instanceof AccessDeniedException)
        {
            return new IOException(((AccessDeniedException)ex).getFile() + ": permission denied", ex);
        }
        return ex;
    }

    List<Path> paths()
    {
        return List.of(paths);
    }

    Path parent()
    {
        return parent;
    }

    @Override
    public void close()
    {
        for (final FileChannel file : files)
        {
            closeQuietly(file);
        }
    }

    private static void closeQuietly(final FileChannel file)
    {
        if (file != null)
        {
            try
            {
                file.close();
            }
            catch (final IOException ignore)
            {
                // Nothing more to write to it.
            }
        }
    }
}
