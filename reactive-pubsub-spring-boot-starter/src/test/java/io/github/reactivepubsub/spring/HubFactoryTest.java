package io.github.reactivepubsub.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** How {@code reactive-pubsub.hub} is read, without creating a hub (no broker or server needed). */
class HubFactoryTest {

    @Test
    void aRedisAddressMayLeaveThePortToLettucesDefault() {
        URI uri = HubFactory.address("redis://localhost");

        assertThat(uri.getHost()).isEqualTo("localhost");
        assertThat(uri.getPort()).as("no port given").isEqualTo(-1);
        assertThat(RedisURI.create("redis://localhost").getPort()).as("what Lettuce makes of it").isEqualTo(6379);
        assertThat(HubFactory.address("rediss://cache.example/2").getHost()).isEqualTo("cache.example");
        assertThat(HubFactory.address("redis://localhost:6380").getPort()).isEqualTo(6380);
    }

    @Test
    void aTcpAddressNeedsItsPort() {
        assertThat(HubFactory.address("tcp://broker:7400").getPort()).isEqualTo(7400);
        assertThatThrownBy(() -> HubFactory.address("tcp://broker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reactive-pubsub.hub=tcp://broker is not a valid address (no port); expected local, "
                        + "tcp://host:port or redis://host[:port]");
    }

    @Test
    void aMalformedAddressIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> HubFactory.address("redis://"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("reactive-pubsub.hub=redis:// is not a valid address (Expected authority");
        assertThatThrownBy(() -> HubFactory.address("redis://localhost:port"))
                .hasMessageContaining("is not a valid address ('localhost:port' is not host[:port])");
        assertThatThrownBy(() -> HubFactory.address("redis:///0"))
                .hasMessageContaining("redis:///0 is not a valid address (no host)");
        assertThatThrownBy(() -> HubFactory.address("localhost:6379"))
                .hasMessageContaining("localhost:6379 is not a valid address (no host)");
    }
}
