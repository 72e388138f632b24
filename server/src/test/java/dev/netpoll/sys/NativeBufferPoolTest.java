package dev.netpoll.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A pooled buffer has exactly one owner: releasing it twice is refused, not lent out twice. */
class NativeBufferPoolTest {

    @Test
    void releasingABufferTwiceIsRefused() {
        var pool = new NativeBufferPool(1024, 4, "buffer");
        var buffer = pool.acquire();
        pool.release(buffer);
        assertThatThrownBy(() -> pool.release(buffer)).isInstanceOf(IllegalStateException.class);
        var first = pool.acquire();
        var second = pool.acquire();
        assertThat(first).isNotSameAs(second);
    }

    @Test
    void releasingTwiceIsRefusedEvenWhenThePoolWasFull() {
        var pool = new NativeBufferPool(1024, 1, "buffer");
        var kept = pool.acquire();
        var dropped = pool.acquire();
        pool.release(kept);
        pool.release(dropped);
        assertThatThrownBy(() -> pool.release(dropped)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBufferThatCannotBeAllocatedIsNotCountedAsLent() {
        // A size no buffer can have stands in for exhausted direct memory: the allocation throws.
        var pool = new NativeBufferPool(-1, 1, "buffer");
        assertThatThrownBy(pool::acquire).isInstanceOf(IllegalArgumentException.class);
        assertThat(pool.lent()).isZero();
    }
}
