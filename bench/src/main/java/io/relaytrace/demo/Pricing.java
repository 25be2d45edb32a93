package io.relaytrace.demo;

/** A deliberately recursive price calculation, so traces show deep stacks. */
final class Pricing
{
    private Pricing()
    {
    }

    static long price(final int quantity, final int depth)
    {
        if (depth == 0)
        {
            return quantity * 499L;
        }
        return price(quantity, depth - 1) + depth;
    }
}
