package io.relaytrace.viewer.read;

import java.nio.ByteBuffer;

import static io.relaytrace.event.EventDescriptor.length;
import static io.relaytrace.relay.format.SubbufDescriptor.HEADER_LENGTH;

/**
 * Validates the records of a block a validating {@link BlockScanner} accepted, walking them by
 * their lengths, and decodes the definitions of the global file's blocks. Damage is a problem of
 * the file's report; the records after it are not counted.
 */
final class BlockContent
{
    private final RecordWalk walk = new RecordWalk();
    private final Definitions definitions;

    BlockContent(final Definitions definitions)
    {
        this.definitions = definitions;
    }

    /**
     * @param scanner at a valid block.
     * @param report  the file's report, which receives problems.
     * @param global  true for the global file: its records are definitions.
     * @return the block's whole records before any damage.
     */
    int read(final BlockScanner scanner, final FileReport report, final boolean global)
    {
        final ByteBuffer buffer = scanner.buffer();
        final int from = scanner.contentIndex();
        final int end = from + scanner.contentLength();
        walk.walk(buffer, from, end, scanner.carrierId());
        if (walk.damaged())
        {
            report.mutableProblems().add(new Problem(Problem.Kind.DAMAGED, report.name(),
                scanner.blockOffset() + HEADER_LENGTH + (walk.damageAt() - from),
                "in block of buffer id=" + scanner.bufferId() + ": " + walk.damage() + "; the last " +
                (end - walk.damageAt()) + " content bytes of the block are skipped"));
        }
        if (global)
        {
            int at = from;
            for (int i = 0; i < walk.records(); i++)
            {
                final String wrong = definitions.decode(buffer, at);
                if (wrong != null)
                {
                    report.mutableProblems().add(new Problem(Problem.Kind.DAMAGED, report.name(),
                        scanner.blockOffset() + HEADER_LENGTH + (at - from), wrong));
                }
                at += length(buffer.getInt(at));
            }
        }
        return walk.records();
    }

    /** @return true if the block read last holds a THREAD record of a thread other than its buffer's carrier. */
    boolean otherThread()
    {
        return walk.otherThread();
    }
}
