package io.relaytrace.viewer.export;

import io.relaytrace.viewer.read.Trace;

import java.io.IOException;
import java.io.PrintWriter;

/** An export format written as text to one stream (standard output or a file). */
public interface TextExport
{
    /**
     * @param trace an opened trace.
     * @param out   where the export goes; flushed by the caller.
     * @throws IOException if a trace file cannot be read.
     */
    void write(Trace trace, PrintWriter out) throws IOException;
}
