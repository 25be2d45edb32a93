package io.relaytrace.bench.overhead;

import java.io.IOException;
import java.nio.file.Path;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * The RecordingFile decoder: reads every event of a JFR file with {@code jdk.jfr.consumer.RecordingFile}
 * (the JDK's own reader; each event is parsed, as any tool built on it would) and prints
 * {@code events=N} ({@code jdk.MethodTrace} events) and {@code durationNanos=D} (their durations summed,
 * so every event's fields are really read).
 * <p>
 * Usage: {@code java io.relaytrace.bench.overhead.JfrMethodTraceCount FILE.jfr}.
 */
public final class JfrMethodTraceCount
{
    static final String EVENT_NAME = "jdk.MethodTrace";

    private JfrMethodTraceCount()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length != 1)
        {
            System.err.println("usage: JfrMethodTraceCount FILE.jfr");
            System.exit(2);
        }
        long events = 0;
        long durationNanos = 0;
        try (RecordingFile recording = new RecordingFile(Path.of(args[0])))
        {
            while (recording.hasMoreEvents())
            {
                final RecordedEvent event = recording.readEvent();
                if (EVENT_NAME.equals(event.getEventType().getName()))
                {
                    events++;
                    durationNanos += event.getDuration().toNanos();
                }
            }
        }
        System.out.println("events=" + events + " durationNanos=" + durationNanos);
    }
}
