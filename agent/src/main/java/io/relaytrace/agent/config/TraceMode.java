package io.relaytrace.agent.config;

import java.util.Locale;

/**
 * The {@code mode=} option. Mirrors the runtime's {@code RelayMode} by name, kept separate so that
 * options can be parsed before the runtime is on the bootstrap class path.
 */
public enum TraceMode
{
    /** Full buffers drop new events, which are counted. */
    DISCARD,
    /** Full buffers overwrite their oldest sub-buffers; the files are streamed. */
    OVERWRITE,
    /** Overwrite in memory; the last sub-buffers are written at exit. */
    FLIGHT_RECORDER;

    /** @return the name as written in options: {@code discard}, {@code overwrite}, {@code flight-recorder}. */
    public String optionName()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param text an option value.
     * @return the mode, or null if {@code text} names none.
     */
    static TraceMode fromOption(final String text)
    {
        for (final TraceMode mode : values())
        {
            if (mode.optionName().equals(text))
            {
                return mode;
            }
        }
        return null;
    }
}
