package io.github.reactivepubsub.session;

import io.github.reactivepubsub.internal.IdleTimer;
import java.time.Duration;
import reactor.core.scheduler.Scheduler;

/**
 * A session's two heartbeat rules on one {@link IdleTimer} each: send a heartbeat whenever nothing was sent for the
 * local interval, and give up on the peer when nothing was received for the remote one.
 *
 * <p>Threading: {@link #sent()} and {@link #received()} from any thread (one volatile write each); the actions run on
 * the scheduler's worker.
 */
final class SessionHeartbeats {

    private final IdleTimer local;
    private final IdleTimer remote;

    /**
     * @param local the idle time after which {@code sendHeartbeat} runs, again after every further idle period
     * @param remote the silence after which {@code onSilence} runs, once
     */
    SessionHeartbeats(Duration local, Duration remote, Scheduler scheduler, Runnable sendHeartbeat,
            Runnable onSilence) {
        this.local = IdleTimer.builder(local, scheduler).mode(IdleTimer.Mode.REPEAT).start(sendHeartbeat);
        this.remote = IdleTimer.builder(remote, scheduler).start(onSilence);
    }

    /** Something was sent. */
    void sent() {
        local.touch();
    }

    /** Something was received. */
    void received() {
        remote.touch();
    }

    void stop() {
        local.dispose();
        remote.dispose();
    }

    boolean isStopped() {
        return local.isDisposed() && remote.isDisposed();
    }
}
