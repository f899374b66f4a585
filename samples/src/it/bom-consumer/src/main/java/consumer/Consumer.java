package consumer;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.mmap.Layout;
import io.github.reactivepubsub.redis.RedisHubOptions;
import io.github.reactivepubsub.spring.ReactivePubSubAutoConfiguration;
import io.github.reactivepubsub.tcp.remote.RemoteHubOptions;

/** Uses one type of each module, so that compiling proves every module resolved through the BOM. */
public final class Consumer {

    private Consumer() {
    }

    public static void main(String[] args) {
        try (Hub hub = Hub.create()) {
            System.out.println(hub.publish("k", "v") + " " + Layout.NATIVE + " " + RemoteHubOptions.defaults()
                    + " " + RedisHubOptions.defaults() + " " + ReactivePubSubAutoConfiguration.class.getSimpleName());
        }
    }
}
