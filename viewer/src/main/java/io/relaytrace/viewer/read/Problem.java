package io.relaytrace.viewer.read;

/**
 * One thing wrong with a trace: a damaged region of a file, a file that ends early, a missing
 * file, or records that contradict each other. Problems never stop reading; they are collected
 * and reported.
 *
 * @param kind    whether data were damaged or are missing at the end.
 * @param file    the file's name inside the trace directory.
 * @param offset  the byte offset in the file where the problem starts, or -1 for a whole file.
 * @param message what was wrong, in one line.
 */
public record Problem(Kind kind, String file, long offset, String message)
{
    /** What sort of problem. */
    public enum Kind
    {
        /** Bytes that do not follow the format, found and skipped. */
        DAMAGED,
        /** Data missing: a file cut short, a file absent, or no clean-close marker. */
        INCOMPLETE
    }

    @Override
    public String toString()
    {
        return file + (offset >= 0 ? "@" + offset : "") + ": " + kind.name().toLowerCase(java.util.Locale.ROOT) +
            ": " + message;
    }
}
