package io.github.reactivepubsub;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The Reactive Streams TCK's own subscribers, allowed to block where they hand a signal to the test thread
 * (registered through {@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration} in each module
 * whose tests run the TCK).
 *
 * <p>The TCK's test subscribers put every signal into an {@code ArrayBlockingQueue} that the test thread polls with a
 * timeout ({@code TestEnvironment.Receptacle#add}, {@code #complete}, {@code TestEnvironment.Promise#complete}). The
 * queue's lock is held by the polling test thread for a few instructions at a time; a publisher that signals on a
 * non-blocking thread (a Netty event loop, a Reactor parallel worker) at that very moment parks for them, which
 * BlockHound turns into a {@code BlockingOperationError} thrown from the subscriber's {@code onNext}. The publisher
 * then treats the subscriber as failed (a remote hub cancels a subscriber that throws), and the test waits in vain for
 * the element. This is the TCK's harness blocking, not the publisher under test: its own non-blocking paths stay
 * checked, the allowance is as narrow as the three methods.
 */
public final class TckBlockHoundAllowances implements BlockHoundIntegration {

    private static final String ENVIRONMENT = "org.reactivestreams.tck.TestEnvironment";

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside(ENVIRONMENT + "$Receptacle", "add");
        builder.allowBlockingCallsInside(ENVIRONMENT + "$Receptacle", "complete");
        builder.allowBlockingCallsInside(ENVIRONMENT + "$Promise", "complete");
    }
}
