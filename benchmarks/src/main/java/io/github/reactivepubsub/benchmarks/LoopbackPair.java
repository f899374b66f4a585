package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.github.reactivepubsub.tcp.remote.RemoteHubOptions;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * The remote hub benchmarks' set-up, over loopback: a broker over an in-process hub with a publishing and a
 * subscribing {@link RemoteHub} (identity byte codec; the subscriber counts messages of {@link RemoteHubBenchmark#KEY}),
 * and beside it the raw peer: a Reactor Netty server forwarding what a publisher connection sends to a subscriber
 * connection, which counts bytes.
 */
final class LoopbackPair implements AutoCloseable {

    final Hub brokerHub = Hub.create();
    final PubSubServer broker;
    final RemoteHub publisher;
    final RemoteHub subscriber;
    final AtomicLong received = new AtomicLong();

    final DisposableServer forwarder;
    final Connection rawPublisher;
    final Connection rawSubscriber;
    final AtomicLong rawBytes = new AtomicLong();

    /**
     * @param options the remote subscriber's options
     * @param forward how the raw forwarder passes the reads of a publisher connection (first argument) to the
     *     subscriber connection (second)
     */
    LoopbackPair(SubscribeOptions options, BiConsumer<Connection, Connection> forward) {
        // room for the 32,768 messages in flight at the broker, by count and by bytes: the subscription never overflows
        broker = PubSubServer.bind(brokerHub, RemoteHubBenchmark.BYTES, PubSubServerOptions.defaults()
                .maxBufferBytes(64L << 20).maxConnectionBufferBytes(64L << 20), "127.0.0.1",
                0).block(RemoteHubBenchmark.WAIT);
        subscriber = client();
        publisher = client();
        subscriber.<byte[]>subscribe(RemoteHubBenchmark.KEY, options).subscribe(m -> received.incrementAndGet());
        while (brokerHub.subscriberCount(RemoteHubBenchmark.KEY) != 1) {
            LockSupport.parkNanos(1_000_000);
        }

        // the first connection to the forwarder is the subscriber; later ones' reads are forwarded to it
        AtomicReference<Connection> sink = new AtomicReference<>();
        forwarder = TcpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(c -> {
                    if (!sink.compareAndSet(null, c)) {
                        forward.accept(c, sink.get());
                    }
                })
                .handle((in, out) -> Mono.never())
                .bindNow();
        rawSubscriber = TcpClient.newConnection().host("127.0.0.1").port(forwarder.port())
                .handle((in, out) -> in.receive().doOnNext(b -> rawBytes.addAndGet(b.readableBytes())).then())
                .connectNow();
        while (sink.get() == null) {
            LockSupport.parkNanos(1_000_000);
        }
        rawPublisher = TcpClient.newConnection().host("127.0.0.1").port(forwarder.port()).connectNow();
    }

    private RemoteHub client() {
        RemoteHub hub = RemoteHub.create("127.0.0.1", broker.port(), RemoteHubBenchmark.BYTES,
                RemoteHubOptions.defaults());
        hub.connected().block(RemoteHubBenchmark.WAIT);
        return hub;
    }

    @Override
    public void close() {
        publisher.close();
        subscriber.close();
        broker.disposeNow(RemoteHubBenchmark.WAIT);
        brokerHub.close();
        rawPublisher.disposeNow(RemoteHubBenchmark.WAIT);
        rawSubscriber.disposeNow(RemoteHubBenchmark.WAIT);
        forwarder.disposeNow(RemoteHubBenchmark.WAIT);
    }
}
