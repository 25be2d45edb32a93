package io.relaytrace.demo;

/** Charges orders; every seventh is declined, two frames down. */
final class Payments
{
    void charge(final int orderId, final long cents)
    {
        authorize(orderId, cents);
    }

    private void authorize(final int orderId, final long cents)
    {
        if (orderId % 7 == 3)
        {
            throw new PaymentDeclinedException(orderId);
        }
    }
}
