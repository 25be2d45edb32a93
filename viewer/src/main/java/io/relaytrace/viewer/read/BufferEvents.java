package io.relaytrace.viewer.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import static io.relaytrace.event.EventDescriptor.*;

/**
 * The events of one relay buffer, in the order the writer committed them, read block by block
 * from the buffer's file with a replaying {@link BlockScanner} that steps over other buffers'
 * blocks and damaged regions.
 * <p>
 * It keeps the thread that owns the events: the Writer Context of a block that starts a
 * sub-buffer, then each THREAD record. A continuation block (Content Offset &gt; 0 of the same
 * sub-buffer) keeps the thread of the block before it. A Writer Context of 0 (the writer never
 * set one) means the carrier itself.
 * <p>
 * Guarantees: no allocation per event; records that the validating pass found damaged end the
 * block's content here too.
 */
final class BufferEvents
{
    private final List<BlockScanner> segments;
    private int segment;
    private final int bufferId;
    private final long carrierId;
    private final Definitions definitions;
    private final TraceEvent event = new TraceEvent();

    private ByteBuffer buffer;
    private int at;
    private int end;
    private boolean inSubbuf;
    private long sequence;
    private long threadId;

    /**
     * @param segments    replaying scanners over the runs of this buffer's blocks, in order (its
     *                    file, then the blocks salvaged from its mapped file if any).
     * @param account     the buffer.
     * @param definitions where THREAD records mark threads virtual.
     */
    BufferEvents(final List<BlockScanner> segments, final BufferAccount account, final Definitions definitions)
    {
        this.segments = segments;
        this.bufferId = account.bufferId();
        this.carrierId = account.carrierId();
        this.definitions = definitions;
        this.threadId = carrierId;
        event.bufferId = bufferId;
        event.carrierId = carrierId;
    }

    /** @return the current event, valid after {@link #advance()} answered true. */
    TraceEvent event()
    {
        return event;
    }

    /**
     * Moves to the next ENTER, EXIT, THROW or THREAD record of this buffer.
     *
     * @return false when the buffer has no more.
     * @throws IOException if the file cannot be read.
     */
    boolean advance() throws IOException
    {
        while (true)
        {
            if (nextInBlock())
            {
                return true;
            }
            if (!nextBlock())
            {
                return false;
            }
        }
    }

    /**
     * Moves to the next ENTER, EXIT, THROW or THREAD record of the block entered last.
     *
     * @return false at the end of the block (or at damage in it).
     */
    boolean nextInBlock()
    {
        while (at < end)
        {
            if (RecordWalk.check(buffer, at, end) != null)
            {
                at = end;
                return false;
            }
            final int header = buffer.getInt(at);
            final int recordAt = at;
            at += length(header);
            if (decode(type(header), recordAt))
            {
                return true;
            }
        }
        return false;
    }

    private boolean decode(final int type, final int recordAt)
    {
        final ByteBuffer buffer = this.buffer;
        final TraceEvent event = this.event;
        switch (type)
        {
            case ENTER:
            case EXIT:
            case THROW:
                event.type = type;
                event.methodId = buffer.getInt(recordAt + METHOD_ID_OFFSET);
                event.timestamp = buffer.getLong(recordAt + TIMESTAMP_OFFSET);
                event.exceptionClassId = type == THROW ? buffer.getInt(recordAt + EXCEPTION_CLASS_ID_OFFSET) : 0;
                event.threadId = threadId;
                return true;
            case THREAD:
                threadId = buffer.getLong(recordAt + THREAD_ID_OFFSET);
                definitions.markVirtual(threadId, (buffer.getInt(recordAt + THREAD_FLAGS_OFFSET) & FLAG_VIRTUAL) != 0);
                event.type = type;
                event.methodId = 0;
                event.exceptionClassId = 0;
                event.timestamp = buffer.getLong(recordAt + TIMESTAMP_OFFSET);
                event.threadId = threadId;
                return true;
            default:
                return false;
        }
    }

    private boolean nextBlock() throws IOException
    {
        while (segment < segments.size())
        {
            final BlockScanner scanner = segments.get(segment);
            if (!scanner.next())
            {
                segment++;
                continue;
            }
            if (scanner.bufferId() != bufferId)
            {
                continue;
            }
            enterBlock(scanner);
            return true;
        }
        return false;
    }

    /**
     * Makes the scanner's current block, one of this buffer's, the one {@link #nextInBlock()}
     * reads: a block that starts a sub-buffer takes its thread from the Writer Context, a
     * continuation keeps the thread of the block before it.
     */
    void enterBlock(final BlockScanner scanner)
    {
        final long sequence = scanner.sequence();
        if (scanner.contentOffset() == 0 || !inSubbuf || sequence != this.sequence)
        {
            final long context = scanner.writerContext();
            threadId = context != 0 ? context : carrierId;
            inSubbuf = true;
            this.sequence = sequence;
        }
        buffer = scanner.buffer();
        at = scanner.contentIndex();
        end = at + scanner.contentLength();
    }
}
