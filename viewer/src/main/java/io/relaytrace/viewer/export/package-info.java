/**
 * Export formats: each class writes an opened {@link io.relaytrace.viewer.read.Trace} in one
 * format for another tool (flame graph scripts, HdrHistogram plotters, Chrome's trace viewer and
 * Perfetto, babeltrace2 and Trace Compass). They read the trace through the reading library, as
 * the commands do, so that every format agrees with {@code summary} on what the trace holds.
 */
package io.relaytrace.viewer.export;
