package io.github.reactivepubsub.tcp.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Closer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Status subscribers are user code: they run outside the hub's locks, and still see every change in order. */
class RemoteHubStatusTest {

    @RegisterExtension
    final Closer closer = new Closer();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final ScriptedBroker broker = new ScriptedBroker(clock);

    @AfterEach
    void stopClock() {
        clock.dispose();
    }

    @Test
    void aStatusSubscriberThatWaitsForAnotherThreadsCloseDoesNotHoldItUp() {
        RemoteHub hub = closer.add(new RemoteHub(broker.connector(), Codecs.utf8(),
                RemoteHubOptions.defaults().scheduler(clock), "scripted:1"), RemoteHub::close);
        List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        AtomicBoolean closedWhileSubscriberRan = new AtomicBoolean();
        AtomicBoolean completed = new AtomicBoolean();
        hub.status().subscribe(status -> {
            statuses.add(status);
            if (status == ConnectionStatus.CONNECTED) {
                // a subscriber waiting for another thread: under a lock of the hub, that thread's close() would hang
                Thread closing = new Thread(hub::close, "closing-thread");
                closing.start();
                try {
                    closing.join(HubContract.WAIT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                closedWhileSubscriberRan.set(!closing.isAlive() && hub.isClosed());
            }
        }, error -> { }, () -> completed.set(true));

        broker.latest().welcome(2); // the status subscriber sees CONNECTED on this thread, and closes the hub
        assertThat(closedWhileSubscriberRan).as("close() returned while the status subscriber ran").isTrue();
        clock.advanceTimeBy(Duration.ofSeconds(5)); // at most the graceful close's grace
        assertThat(statuses).as("every change, in order, CLOSED after the subscriber returned")
                .containsExactly(ConnectionStatus.CONNECTING, ConnectionStatus.CONNECTED, ConnectionStatus.CLOSED);
        assertThat(completed).isTrue();
    }
}
