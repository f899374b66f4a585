package io.github.reactivepubsub.tcp.broker;

import io.github.reactivepubsub.tcp.wire.Frame;
import java.util.function.Consumer;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/** Stands for a connection's outbound merge in front of one {@link BrokerSubscription}: it always asks for more. */
final class AskingMerge extends BaseSubscriber<Frame> {

    private final Consumer<Frame> onFrame;
    private final Runnable onComplete;

    /**
     * @param onFrame what to do with each frame the subscription hands over
     * @param onComplete what to do when the subscription's source completes
     */
    AskingMerge(Consumer<Frame> onFrame, Runnable onComplete) {
        this.onFrame = onFrame;
        this.onComplete = onComplete;
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    protected void hookOnNext(Frame frame) {
        onFrame.accept(frame);
    }

    @Override
    protected void hookOnComplete() {
        onComplete.run();
    }
}
