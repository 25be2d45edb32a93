package io.relaytrace.bench.overhead;

/**
 * One decoder's pass over one trace.
 *
 * @param decoder    {@code summary} (relaytrace viewer, {@code summary --json}), {@code jfr summary}
 *                   or {@code RecordingFile} (a loop over {@code jdk.jfr.consumer.RecordingFile}).
 * @param events     method events the decoder found (relaytrace: ENTER, EXIT and THROW records).
 * @param lost       events the trace says were lost (relaytrace; 0 where the format cannot tell).
 * @param dropped    events the trace says were dropped (relaytrace; 0 where the format cannot tell).
 * @param child      the decoder's child JVM: wall, CPU and peak RSS.
 */
record DecodeResult(String decoder, long events, long lost, long dropped, ChildResult child)
{
}
