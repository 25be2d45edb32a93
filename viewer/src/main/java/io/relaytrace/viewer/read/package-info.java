/**
 * Reading a relaytrace trace directory: validation, accounting and events.
 * <p>
 * {@link io.relaytrace.viewer.read.Trace#open} makes one validating pass over every file (the
 * global file, each per-CPU file, then any mapped buffer file left by a JVM that died), block by
 * block: damaged or truncated regions become {@link io.relaytrace.viewer.read.Problem}s, never
 * exceptions, and each buffer gets a {@link io.relaytrace.viewer.read.BufferAccount} (records,
 * lost, dropped, too big). {@link io.relaytrace.viewer.read.Trace#events} then streams every
 * buffer's events merged by timestamp, and {@link io.relaytrace.viewer.read.CallStacks} rebuilds
 * each thread's calls from them. Memory grows with buffers, methods and threads, not with events.
 * {@link io.relaytrace.viewer.read.TraceFollower} reads a trace still being written, a poll at a
 * time, reading only the blocks appended since the last poll.
 */
package io.relaytrace.viewer.read;
