package io.github.reactivepubsub;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The blocking calls inside Netty that Netty's own BlockHound integration does not list yet, allowed for the tests of
 * the modules that run Netty (registered through each module's
 * {@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration}; the core's tests run no Netty).
 *
 * <p>Netty 4.2's {@code AdaptivePoolingAllocator} (the default allocator) guards each shared buffer magazine with a
 * {@code StampedLock}. When two event loops expand or retire magazines at the same moment, one of them parks for the
 * few instructions the other holds the lock, which BlockHound reports as {@code Unsafe#park} on a non-blocking thread
 * and fails the read in progress with a {@code BlockingOperationError}. It is a false positive of the same kind as the
 * {@code PoolArena} lock Netty already allows; the allowance is as narrow as the two methods that take the lock.
 */
public final class NettyBlockHoundAllowances implements BlockHoundIntegration {

    private static final String ALLOCATOR = "io.netty.buffer.AdaptivePoolingAllocator";

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside(ALLOCATOR + "$Magazine", "free");
        builder.allowBlockingCallsInside(ALLOCATOR + "$MagazineGroup", "free");
    }
}
