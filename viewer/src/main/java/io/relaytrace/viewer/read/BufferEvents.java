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
 * It tells where the buffer lost events ({@link BlockContinuity}, or damaged records ending a
 * block): a {@link TraceEvent#LOSS} event between the events before and after the loss.
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
    private final BufferAccount account;
    private final TraceEvent event = new TraceEvent();
    private final BlockContinuity continuity = new BlockContinuity();

    private ByteBuffer buffer;
    private int at;
    private int end;
    private boolean inSubbuf;
    private long sequence;
    private long threadId;
    private long blockRecords;
    private long lastTimestamp = Long.MIN_VALUE;
    /** A loss was found and its LOSS event not yet given. */
    private boolean lossPending;
    /** A LOSS event was given and no event after it yet: a further loss joins it. */
    private boolean inLoss;
    /** The LOSS given was of a shared carrier: the next event ends its window. */
    private boolean sharedLossOpen;

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
        this.account = account;
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
     * Moves to the next ENTER, EXIT, THROW or THREAD record of this buffer, or LOSS.
     *
     * @return false when the buffer has no more.
     * @throws IOException if the file cannot be read.
     */
    boolean advance() throws IOException
    {
        // nextInBlock() gives a pending LOSS first, even past the end of the block (a final block).
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
     * Moves to the next ENTER, EXIT, THROW or THREAD record of the block entered last, or to a
     * LOSS before it.
     *
     * @return false at the end of the block (or at damage in it, after its LOSS).
     */
    boolean nextInBlock()
    {
        if (lossPending)
        {
            lossPending = false;
            loss();
            return true;
        }
        final ByteBuffer buffer = this.buffer;
        final int end = this.end;
        while (at < end)
        {
            final int recordAt = at;
            int header;
            // The common records, ENTER and EXIT whole and of their exact length, need no further check.
            if (end - recordAt < ENTER_LENGTH ||
                ((header = buffer.getInt(recordAt)) != RecordWalk.ENTER_HEADER && header != RecordWalk.EXIT_HEADER))
            {
                if (RecordWalk.check(buffer, recordAt, end) != null)
                {
                    // The records after damage are lost: a loss, given now if it is a new one.
                    at = end;
                    if (!inLoss)
                    {
                        loss();
                        return true;
                    }
                    return false;
                }
                header = buffer.getInt(recordAt);
            }
            final int length = length(header);
            final int type = type(header);
            at = recordAt + length;
            blockRecords++;
            if (decode(type, recordAt))
            {
                return true;
            }
        }
        return false;
    }

    private void loss()
    {
        final TraceEvent event = this.event;
        event.type = TraceEvent.LOSS;
        event.timestamp = lastTimestamp;
        event.threadId = carrierId;
        event.methodId = 0;
        event.exceptionClassId = 0;
        event.endsSharedLoss = false;
        event.sharedCarrier = account.hostsOtherThreads();
        sharedLossOpen = event.sharedCarrier;
        inLoss = true;
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
                break;
            case THREAD:
                threadId = buffer.getLong(recordAt + THREAD_ID_OFFSET);
                definitions.markVirtual(threadId, (buffer.getInt(recordAt + THREAD_FLAGS_OFFSET) & FLAG_VIRTUAL) != 0);
                event.type = type;
                event.methodId = 0;
                event.exceptionClassId = 0;
                event.timestamp = buffer.getLong(recordAt + TIMESTAMP_OFFSET);
                event.threadId = threadId;
                break;
            default:
                return false;
        }
        lastTimestamp = event.timestamp;
        event.endsSharedLoss = sharedLossOpen;
        event.sharedCarrier = false;
        sharedLossOpen = false;
        inLoss = false;
        return true;
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
     * continuation keeps the thread of the block before it. If events were lost before the
     * block, {@link #nextInBlock()} gives a LOSS first.
     */
    void enterBlock(final BlockScanner scanner)
    {
        continuity.records(blockRecords);
        blockRecords = 0;
        continuity.enter(scanner);
        if (continuity.gap() && !inLoss)
        {
            lossPending = true;
        }
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
