package io.relaytrace.demo;

/** A payment the (simulated) bank refused. */
final class PaymentDeclinedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    PaymentDeclinedException(final int orderId)
    {
        super("order " + orderId + " declined", null, false, false);
    }
}
