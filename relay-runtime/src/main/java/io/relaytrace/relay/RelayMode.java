package io.relaytrace.relay;

/** The channel's modes, each a choice of callbacks and of when the flusher writes. */
public enum RelayMode
{
    /** No-overwrite: when a buffer is full, new events are dropped and counted. */
    DISCARD,
    /** Overwrite, streamed: the flusher writes continuously; sub-buffers lapped before it got to them are counted lost. */
    OVERWRITE,
    /** Overwrite, nothing written until a dump, close or JVM exit; then the last sub-buffers of every buffer. */
    FLIGHT_RECORDER;

    RelayCallbacks callbacks()
    {
        return this == DISCARD ? RelayCallbacks.discard() : RelayCallbacks.overwrite();
    }
}
