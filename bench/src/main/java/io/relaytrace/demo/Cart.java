package io.relaytrace.demo;

/** A cart that counts what is added to it. */
final class Cart
{
    private final int orderId;
    private int quantity;

    Cart(final int orderId)
    {
        this.orderId = orderId;
    }

    void add(final String sku, final int count)
    {
        quantity += count;
    }

    int quantity()
    {
        return quantity;
    }

    int orderId()
    {
        return orderId;
    }
}
