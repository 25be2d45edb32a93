package io.relaytrace.viewer.read;

import java.nio.ByteBuffer;

import static io.relaytrace.event.EventDescriptor.*;

/**
 * Walks the event records of one block's content by their lengths, counting them and finding the
 * first record that cannot be right: a length under 4, a length that runs past the content, or a
 * known type shorter than its layout. Records of unknown types are counted and skipped.
 * <p>
 * Example: {@code walk.walk(buffer, from, to, carrierId); if (walk.damaged()) report(walk.damageAt(), walk.damage());}
 */
final class RecordWalk
{
    /** The headers of whole ENTER and EXIT records (16 bytes each). */
    static final int ENTER_HEADER = header(ENTER, ENTER_LENGTH);
    static final int EXIT_HEADER = header(EXIT, EXIT_LENGTH);

    private int records;
    private int damageAt;
    private String damage;
    private boolean otherThread;

    /**
     * @param buffer little-endian bytes.
     * @param from   index of the first record.
     * @param end    index one past the content.
     * @param owner  the carrier of the block's buffer: a THREAD record naming another thread is noted.
     * @return this, for reading the results.
     */
    RecordWalk walk(final ByteBuffer buffer, final int from, final int end, final long owner)
    {
        int at = from;
        int records = 0;
        boolean otherThread = false;
        damageAt = -1;
        damage = null;
        while (at < end)
        {
            // Whole ENTER and EXIT records of their exact length, most of a trace, need no further check.
            if (end - at >= ENTER_LENGTH)
            {
                final int header = buffer.getInt(at);
                if (header == ENTER_HEADER || header == EXIT_HEADER)
                {
                    at += ENTER_LENGTH;
                    records++;
                    continue;
                }
            }
            final String wrong = check(buffer, at, end);
            if (wrong != null)
            {
                damageAt = at;
                damage = wrong;
                break;
            }
            final int header = buffer.getInt(at);
            if (type(header) == THREAD && buffer.getLong(at + THREAD_ID_OFFSET) != owner)
            {
                otherThread = true;
            }
            at += length(header);
            records++;
        }
        this.records = records;
        this.otherThread = otherThread;
        return this;
    }

    /**
     * @return null if a whole, plausible record starts at {@code at}, else what is wrong.
     */
    static String check(final ByteBuffer buffer, final int at, final int end)
    {
        if (end - at < 4)
        {
            return "record header cut at content end: " + (end - at) + " bytes left";
        }
        final int header = buffer.getInt(at);
        final int length = length(header);
        if (length < 4)
        {
            return "record length=" + length + " < 4";
        }
        if (length > end - at)
        {
            return "record length=" + length + " runs past the content end (" + (end - at) + " bytes left)";
        }
        final int needed = minimumLength(type(header));
        if (length < needed)
        {
            return "record type=" + type(header) + " length=" + length + " < " + needed;
        }
        return null;
    }

    /** @return the least length a record of this type can have; 4 for types this reader does not know. */
    static int minimumLength(final int type)
    {
        switch (type)
        {
            case ENTER:
            case EXIT:
                return ENTER_LENGTH;
            case THROW:
                return THROW_LENGTH;
            case THREAD:
                return THREAD_LENGTH;
            case METHOD_DEF:
                return METHOD_DEF_STRINGS_OFFSET;
            case THREAD_DEF:
                return THREAD_DEF_NAME_OFFSET;
            case CLASS_DEF:
                return CLASS_DEF_NAME_OFFSET;
            default:
                return 4;
        }
    }

    /** @return whole records before the damage, or all of them. */
    int records()
    {
        return records;
    }

    /** @return true if a THREAD record named a thread other than the owner given to {@link #walk}. */
    boolean otherThread()
    {
        return otherThread;
    }

    boolean damaged()
    {
        return damage != null;
    }

    /** @return index of the first bad record, -1 if none. */
    int damageAt()
    {
        return damageAt;
    }

    /** @return what is wrong with it, null if nothing. */
    String damage()
    {
        return damage;
    }
}
