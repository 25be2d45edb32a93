package io.relaytrace.relay;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two carriers coming online take from a {@link BufferPool} that holds one buffer, while the flusher
 * gives another back: every buffer goes to exactly one taker or stays in the pool, never to both
 * takers, never lost.
 * <p>
 * r1, r2: the buffer each taker got (1 or 2, 0 for none); r3: buffers left in the pool (the arbiter
 * takes them and adds their numbers times 10 per buffer: 10 for buffer 1, 20 for buffer 2, 30 both).
 * A taker can find the pool empty only after the other took buffer 1 and before buffer 2 arrived.
 */
@JCStressTest
@State
@Description("BufferPool.take from two carriers racing BufferPool.give from the flusher")
@Outcome(id = {"1, 2, 0", "2, 1, 0"}, expect = ACCEPTABLE, desc = "Both took one; the pool is empty.")
@Outcome(id = {"1, 0, 20", "0, 1, 20"}, expect = ACCEPTABLE, desc = "One took the first buffer before the second arrived; the other found none.")
@Outcome(id = {"2, 0, 10", "0, 2, 10"}, expect = FORBIDDEN,
    desc = "A carrier found the pool empty while buffer 1 was still in it (nobody took it).")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "Buffer 1 handed to both carriers.")
@Outcome(id = "2, 2, .*", expect = FORBIDDEN, desc = "Buffer 2 handed to both carriers.")
@Outcome(expect = FORBIDDEN, desc = "A buffer lost or duplicated.")
public class BufferPoolTest
{
    private final BufferMemory one = new BufferMemory.Direct(16);
    private final BufferMemory two = new BufferMemory.Direct(16);
    private final BufferPool pool = new BufferPool(4, 0);

    public BufferPoolTest()
    {
        pool.give(one);
    }

    @Actor
    public void takerOne(final III_Result r)
    {
        r.r1 = number(pool.take());
    }

    @Actor
    public void takerTwo(final III_Result r)
    {
        r.r2 = number(pool.take());
    }

    @Actor
    public void giver()
    {
        pool.give(two);
    }

    @Arbiter
    public void arbiter(final III_Result r)
    {
        int left = 0;
        BufferMemory memory;
        while ((memory = pool.take()) != null)
        {
            left += 10 * number(memory);
        }
        r.r3 = left;
    }

    private int number(final BufferMemory memory)
    {
        return memory == one ? 1 : memory == two ? 2 : 0;
    }
}
