package io.relaytrace.relay;

/** Overwrite mode: always enter the next sub-buffer. */
final class OverwriteCallbacks implements RelayCallbacks
{
    static final OverwriteCallbacks INSTANCE = new OverwriteCallbacks();

    private OverwriteCallbacks()
    {
    }

    @Override
    public boolean subbufStart(final RelayBuffer buf, final int subbuf, final int prevSubbuf, final int prevPadding)
    {
        return true;
    }
}
