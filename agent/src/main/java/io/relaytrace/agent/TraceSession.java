package io.relaytrace.agent;

import io.relaytrace.agent.bootstrap.Recorder;
import io.relaytrace.agent.bootstrap.Tracer;
import io.relaytrace.agent.config.AgentOptions;
import io.relaytrace.agent.config.OutputDirectory;
import io.relaytrace.agent.config.TraceMode;
import io.relaytrace.agent.instrument.Instrumenter;
import io.relaytrace.relay.ChannelTotals;
import io.relaytrace.relay.RelayChannel;
import io.relaytrace.relay.RelayMode;
import io.relaytrace.relay.clock.ClockSettings;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One trace, from start to close: the relay channel (base name {@value #BASE_NAME} in the output
 * directory), the {@link Recorder} the advice writes through, and the transformer.
 * <p>
 * Start order: open the channel buffer-only (heap buffers) so that events are kept from the first
 * instant, install the recorder and the transformer, then set up the files (the runtime's late
 * setup keeps what was written before). With {@code buffers=mmap} the files must exist at open.
 * If the files cannot be set up, everything is undone and the application runs untraced.
 * <p>
 * Close (shutdown hook, or detach): stop recording, optionally restore the original bytecode, then
 * close the channel, which writes the remaining data and the clean-close marker.
 */
final class TraceSession
{
    static final String BASE_NAME = "trace.";

    private final AgentOptions options;
    private final RelayChannel channel;
    private final Recorder recorder;
    private final Instrumenter instrumenter;
    private final Thread shutdownHook;
    private final Thread statusRefresher;
    private volatile boolean refreshing = true;
    private boolean closed;

    private TraceSession(
        final AgentOptions options, final RelayChannel channel, final Recorder recorder, final Instrumenter instrumenter)
    {
        this.options = options;
        this.channel = channel;
        this.recorder = recorder;
        this.instrumenter = instrumenter;
        // Thread subclasses, not method references: each of those would cost the application's
        // start a lambda class spun at run time.
        this.shutdownHook = new Thread("relaytrace-shutdown")
        {
            @Override
            public void run()
            {
                closeAtExit();
            }
        };
        this.statusRefresher = new Thread("relaytrace-status")
        {
            @Override
            public void run()
            {
                refreshStatus();
            }
        };
        statusRefresher.setDaemon(true);
    }

    /**
     * @param options checked options.
     * @param inst    the instrumentation that will own the transformer.
     * @return the running session, its shutdown hook registered.
     * @throws StartException if the output directory or its files cannot be created.
     */
    static TraceSession start(final AgentOptions options, final Instrumentation inst) throws StartException
    {
        final Path output = options.output();
        final RelayChannel channel;
        // Read once, when the clock first initialises: the first trace in this JVM decides.
        ClockSettings.allowTsc(options.tscAllowed());
        try
        {
            final RelayChannel.Builder builder = RelayChannel.builder()
                .geometry(options.subbufSize(), options.subbufs())
                .mode(RelayMode.valueOf(options.mode().name()))
                .cpus(options.cpus())
                .mapped(options.mappedBuffers())
                .flushInterval(options.flushIntervalMillis(), TimeUnit.MILLISECONDS)
                .property("options", options.text());
            if (options.mappedBuffers())
            {
                builder.files(BASE_NAME, output);
            }
            channel = builder.open();
        }
        catch (final IOException ex)
        {
            throw cannotWrite(output, ex);
        }

        // A flight recorder overwrites its global buffer like the others: the definitions are
        // written again at the end so that its snapshot can be decoded.
        final Recorder recorder = new Recorder(channel, options.mode() == TraceMode.FLIGHT_RECORDER);
        Tracer.install(recorder);
        final Instrumenter instrumenter;
        try
        {
            instrumenter = Instrumenter.install(inst, options, recorder);
        }
        catch (final RuntimeException | Error ex)
        {
            Tracer.uninstall(recorder);
            channel.close();
            throw ex;
        }
        final TraceSession session = new TraceSession(options, channel, recorder, instrumenter);
        if (!options.mappedBuffers())
        {
            try
            {
                channel.setupFiles(BASE_NAME, output);
            }
            catch (final IOException ex)
            {
                session.close(true);
                throw cannotWrite(output, ex);
            }
        }
        Runtime.getRuntime().addShutdownHook(session.shutdownHook);
        session.statusRefresher.start();
        return session;
    }

    private static StartException cannotWrite(final Path output, final IOException ex)
    {
        return new StartException(OutputDirectory.cannotCreate(output, ex.getClass().getSimpleName() + ": " + ex.getMessage()));
    }

    AgentOptions options()
    {
        return options;
    }

    /** @return the channel's counters, every buffer it ever had included. */
    ChannelTotals totals()
    {
        return channel.totals();
    }

    /**
     * @return what {@code status} prints while tracing: the options, the channel's counters, and the
     *     events the recorder could not record because something failed inside it (a stack overflow
     *     in deep recursion, typically), and the buffers online and kept in the pool (the memory they hold).
     */
    String status()
    {
        return "tracing output=" + options.output() + " options=" + options.text() + " " + totals() +
            " recorderFailures=" + recorder.failures() +
            " buffersOnline=" + channel.buffers().size() + " buffersPooled=" + channel.pooledBuffers();
    }

    /**
     * Publishes {@code status}'s answer at once, then keeps it at most a second old. The command-line tool only reads it:
     * loading the agent again to ask would make JDK 21+ print its dynamic-loading warning.
     */
    private void refreshStatus()
    {
        // First at once: after -javaagent, premain leaves the first status to this thread, off the
        // application's start.
        while (refreshing)
        {
            recorder.reportFailures();
            System.setProperty(AgentProtocol.STATUS_PROPERTY, status());
            try
            {
                Thread.sleep(1000);
            }
            catch (final InterruptedException ex)
            {
                // refreshing is false now, or this was spurious
            }
        }
    }

    /** Stops the refresher and waits for it, so the status the caller sets next is the last word. */
    private void stopRefreshingStatus()
    {
        refreshing = false;
        if (Thread.currentThread() != statusRefresher)
        {
            statusRefresher.interrupt();
            try
            {
                statusRefresher.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Writes what the buffers hold now to the trace, in every mode: a flight recorder's snapshot of
     * its last sub-buffers, with the definitions written again first so that the snapshot decodes.
     */
    synchronized void dump()
    {
        if (closed)
        {
            return;
        }
        if (options.mode() == TraceMode.FLIGHT_RECORDER)
        {
            recorder.rewriteDefinitions();
        }
        channel.dump();
    }

    private void closeAtExit()
    {
        close(false);
    }

    /**
     * Ends the trace. Idempotent.
     *
     * @param restoreClasses true to give instrumented classes their original bytecode back (detach);
     *                       false at JVM exit, where it would only cost time.
     */
    synchronized void close(final boolean restoreClasses)
    {
        if (closed)
        {
            return;
        }
        closed = true;
        stopRefreshingStatus();
        Tracer.uninstall(recorder);
        recorder.reportFailures();
        if (options.mode() == TraceMode.FLIGHT_RECORDER)
        {
            recorder.rewriteDefinitions();
        }
        if (restoreClasses)
        {
            instrumenter.restore();
            try
            {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (final IllegalStateException | IllegalArgumentException ex)
            {
                // Shutting down already, or the hook was never registered (a failed start).
            }
        }
        else
        {
            instrumenter.remove();
        }
        channel.close();
    }
}
