package io.relaytrace.demo;

import java.util.concurrent.locks.LockSupport;

/** Places an order: fills a cart, reserves stock, prices it, and charges the payment. */
final class Shop
{
    private final Inventory inventory = new Inventory();
    private final Payments payments = new Payments();

    /** @return false when the payment was declined. */
    boolean placeOrder(final int orderId, final int items)
    {
        final Cart cart = new Cart(orderId);
        for (int i = 0; i < items; i++)
        {
            cart.add("sku-" + (orderId + i) % 97, 1 + i % 3);
            inventory.reserve(orderId + i);
        }
        // A short wait, as for a remote call: a virtual thread unmounts here.
        LockSupport.parkNanos(20_000);
        final long cents = Pricing.price(cart.quantity(), 6);
        try
        {
            payments.charge(orderId, cents);
            return true;
        }
        catch (final PaymentDeclinedException ex)
        {
            return false;
        }
    }
}
