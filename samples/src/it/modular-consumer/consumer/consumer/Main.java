package consumer;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.mmap.Layout;
import io.github.reactivepubsub.redis.RedisHub;
import io.github.reactivepubsub.redis.RedisHubOptions;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.github.reactivepubsub.tcp.remote.RemoteHubOptions;
import java.lang.module.ModuleDescriptor;
import java.time.Duration;
import java.util.TreeSet;

/**
 * Prints what the module system says of our modules, then a message's round trip through a broker over TCP, then a
 * Redis hub's refused connection (Lettuce and Netty at work, no server needed).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Module core = Hub.class.getModule();
        Module tcp = RemoteHub.class.getModule();
        System.out.println("core " + core.getName() + " automatic=" + core.getDescriptor().isAutomatic());
        System.out.println("tcp " + tcp.getName() + " automatic=" + tcp.getDescriptor().isAutomatic());
        System.out.println("mmap " + Layout.class.getModule().getName());
        System.out.println("exports tcp.remote " + tcp.isExported("io.github.reactivepubsub.tcp.remote"));
        System.out.println("exports tcp.wire " + tcp.isExported("io.github.reactivepubsub.tcp.wire"));
        System.out.println("exports core.micrometer " + core.isExported("io.github.reactivepubsub.micrometer"));
        Module redis = RedisHub.class.getModule();
        System.out.println("redis " + redis.getName() + " automatic=" + redis.getDescriptor().isAutomatic());
        System.out.println("redis exports " + new TreeSet<>(redis.getDescriptor().exports().stream()
                .map(ModuleDescriptor.Exports::source).toList()));
        Duration wait = Duration.ofSeconds(10);
        try (Hub local = Hub.create()) {
            PubSubServer broker = PubSubServer.bind(local, Codecs.utf8(), PubSubServerOptions.defaults(),
                    "127.0.0.1", 0).block(wait);
            RemoteHub remote = RemoteHub.create("127.0.0.1", broker.port(), Codecs.utf8(), RemoteHubOptions.defaults());
            try {
                remote.connected().block(wait);
                var received = remote.<String>subscribe(Key.parse("greeting.*")).map(Message::payload).next()
                        .toFuture();
                while (local.subscriberCount(Key.parse("greeting.*")) == 0) {
                    Thread.onSpinWait();
                }
                remote.publish("greeting.world", "hello over the module path");
                System.out.println("received " + received.get(wait.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                remote.close();
                broker.disposeNow(wait);
            }
        }
        try (RedisHub nowhere = RedisHub.create("redis://127.0.0.1:1", Codecs.utf8(),
                RedisHubOptions.defaults().namespace("modular"))) {
            System.out.println("redis " + nowhere.status().filter(s -> s == ConnectionStatus.DISCONNECTED)
                    .blockFirst(wait) + " after a refused connection");
        }
    }
}
