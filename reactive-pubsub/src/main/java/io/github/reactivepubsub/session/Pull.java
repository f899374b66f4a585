package io.github.reactivepubsub.session;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.MonoSink;

/**
 * One pull of the pull consumer mode ({@link Session#receive()}, {@link Session#receiveNow()}); whoever wins the state
 * transition from WAITING delivers, fails or withdraws it.
 */
abstract class Pull<T> extends AtomicInteger {

    private static final long serialVersionUID = 1L;
    static final int WAITING = 0;
    static final int DONE = 1;
    static final int CANCELLED = 2;

    abstract boolean tryDeliver(T message);

    abstract void fail(Throwable error);

    final boolean cancel() {
        return compareAndSet(WAITING, CANCELLED);
    }

    /** A pull of {@link Session#receive()}, answered through its Mono. */
    static final class SinkPull<T> extends Pull<T> {

        private static final long serialVersionUID = 1L;
        private final transient MonoSink<T> sink;

        SinkPull(MonoSink<T> sink) {
            this.sink = sink;
        }

        @Override
        boolean tryDeliver(T message) {
            if (!compareAndSet(WAITING, DONE)) {
                return false;
            }
            sink.success(message);
            return true;
        }

        @Override
        void fail(Throwable error) {
            if (compareAndSet(WAITING, DONE)) {
                sink.error(error);
            }
        }
    }

    /** A pull answered synchronously; the outcome is written before the state transition that publishes it. */
    static final class NowPull<T> extends Pull<T> {

        private static final long serialVersionUID = 1L;
        private transient volatile @Nullable T message;
        private transient volatile @Nullable RuntimeException error;

        @Override
        boolean tryDeliver(T delivered) {
            message = delivered;
            if (compareAndSet(WAITING, DONE)) {
                return true;
            }
            message = null;
            return false;
        }

        @Override
        void fail(Throwable failure) {
            error = failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
            if (!compareAndSet(WAITING, DONE)) {
                error = null;
            }
        }

        T result() {
            RuntimeException failure = error;
            if (failure != null) {
                throw failure;
            }
            return Objects.requireNonNull(message, "pull completed without a message");
        }
    }
}
