package io.relaytrace.relay;

/** No-overwrite mode: {@link RelayCallbacks}' defaults, as a shared instance. */
final class DiscardCallbacks implements RelayCallbacks
{
    static final DiscardCallbacks INSTANCE = new DiscardCallbacks();

    private DiscardCallbacks()
    {
    }
}
