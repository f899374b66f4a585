package io.github.reactivepubsub.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.micrometer.HubMetrics;
import io.github.reactivepubsub.redis.RedisHub;
import io.github.reactivepubsub.redis.RedisServer;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The starter's conditions and beans, each in a fresh {@link ApplicationContextRunner} context. */
class ReactivePubSubAutoConfigurationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReactivePubSubAutoConfiguration.class));

    @Test
    void anInProcessHubByDefaultClosedWithTheContext() {
        AtomicReference<Hub> hub = new AtomicReference<>();
        runner.run(context -> {
            assertThat(context).hasSingleBean(Hub.class).hasSingleBean(HubMetrics.class)
                    .hasSingleBean(HubHealthIndicator.class);
            hub.set(context.getBean(Hub.class));
            assertThat(hub.get()).isNotInstanceOf(RemoteHub.class);
            assertThat(hub.get().publish("k", "v").status()).as("no subscriber yet")
                    .isEqualTo(io.github.reactivepubsub.PublishResult.Status.NO_SUBSCRIBERS);
            Health health = context.getBean(HubHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("status", "CONNECTED").containsEntry("hub", "local");
        });
        assertThat(hub.get().isClosed()).as("closed on shutdown").isTrue();
    }

    @Test
    void subscribeDefaultsComeFromTheProperties() {
        runner.withPropertyValues("reactive-pubsub.buffer-size=2", "reactive-pubsub.overflow=drop-oldest")
                .run(context -> {
                    ReactivePubSubProperties properties = context.getBean(ReactivePubSubProperties.class);
                    assertThat(properties.subscribeDefaults().bufferSize()).isEqualTo(2);
                    assertThat(properties.subscribeDefaults().overflow()).isEqualTo(Overflow.DROP_OLDEST);
                });
    }

    @Test
    void everyBeanBacksOffForTheApplicationsOwn() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasSingleBean(Hub.class).hasSingleBean(HubMetrics.class);
            assertThat(context.getBean(Hub.class)).isSameAs(OwnBeans.HUB);
            assertThat(context.getBean(HubMetrics.class)).isSameAs(context.getBean("ownMetrics"));
            assertThat(context.getBean("reactivePubSubHealthIndicator")).isInstanceOf(String.class);
        });
    }

    @Test
    void theHealthIndicatorBacksOffForAnIndicatorOfItsTypeWhateverItsName() {
        runner.withBean("ownHealth", HubHealthIndicator.class, () -> new HubHealthIndicator(OwnBeans.HUB, "own"))
                .run(context -> {
                    assertThat(context).hasSingleBean(HubHealthIndicator.class)
                            .doesNotHaveBean("reactivePubSubHealthIndicator");
                    assertThat(context.getBean(HubHealthIndicator.class).health().getDetails())
                            .containsEntry("hub", "own");
                });
    }

    /**
     * Hides the class the condition names, not the whole health package: this test's classes are loaded outside the
     * filter, so Spring would find {@code @ConditionalOnEnabledHealthIndicator} on them and fail to load its condition
     * from a filtered package (an application without the module has no such annotation to find).
     */
    @Test
    void noHealthIndicatorWithoutSpringBootsHealthModule() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Hub.class)
                        .doesNotHaveBean(HubHealthIndicator.class).doesNotHaveBean("reactivePubSubHealthIndicator"));
    }

    @Test
    void healthChecksDoNotSwitchCountingOnWhileTheMetricsAreOff() {
        runner.withPropertyValues("reactive-pubsub.metrics.enabled=false").run(context -> {
            Hub hub = context.getBean(Hub.class);
            hub.subscribe("k").subscribe();
            Health health = context.getBean(HubHealthIndicator.class).health();
            assertThat(health.getDetails()).containsEntry("topics", 1).containsEntry("subscribers", 1);

            hub.publish("k", "v");
            // the in-process hub counts from its first stats() on: a publish before it is not counted
            assertThat(hub.stats().delivered()).as("the publish after the health check was not counted").isZero();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {

        static final Hub HUB = Hub.create();

        @Bean
        Hub ownHub() {
            return HUB;
        }

        @Bean
        HubMetrics ownMetrics(Hub hub) {
            return HubMetrics.of(hub).name("own");
        }

        @Bean
        String reactivePubSubHealthIndicator() {
            return "own";
        }
    }

    @Nested
    class Metrics {

        private final ApplicationContextRunner withRegistry = runner
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
                .withBean(SimpleMeterRegistry.class);

        @Test
        void theHubsMetersAreBoundToTheRegistry() {
            withRegistry.withPropertyValues("reactive-pubsub.metrics.name=app",
                    "reactive-pubsub.metrics.topics=md.*").run(context -> {
                        Hub hub = context.getBean(Hub.class);
                        MeterRegistry registry = context.getBean(MeterRegistry.class);
                        hub.subscribe("md.*").subscribe();
                        hub.publish("md.tick", "1");
                        assertThat(registry.get("reactive.pubsub.hub.published").tag("hub", "app")
                                .tag("result", "delivered").functionCounter().count()).isEqualTo(1);
                        assertThat(registry.get("reactive.pubsub.topic.delivered").tag("topic", "md.*")
                                .functionCounter().count()).isEqualTo(1);
                    });
        }

        @Test
        void noMetersWhenDisabled() {
            withRegistry.withPropertyValues("reactive-pubsub.metrics.enabled=false").run(context -> {
                assertThat(context).hasSingleBean(Hub.class).doesNotHaveBean(HubMetrics.class);
                assertThat(context.getBean(MeterRegistry.class).find("reactive.pubsub.hub.published").meters())
                        .isEmpty();
            });
        }

        @Test
        void theConnectionMetricsBackOffForTheApplicationsOwnOfTheirTypeOnly() {
            HubConnectionMetrics own = HubConnectionMetrics.of(OwnBeans.HUB).name("own");
            withRegistry.withBean("ownConnections", HubConnectionMetrics.class, () -> own).run(context -> {
                assertThat(context).hasSingleBean(HubConnectionMetrics.class)
                        .doesNotHaveBean("reactivePubSubConnectionMetrics");
                assertThat(context.getBean(HubConnectionMetrics.class)).isSameAs(own);
            });
            MeterBinder another = registry -> { };
            withRegistry.withBean("anotherBinder", MeterBinder.class, () -> another).run(context ->
                    assertThat(context).hasSingleBean(HubConnectionMetrics.class)
                            .hasBean("reactivePubSubConnectionMetrics"));
        }

        @Test
        void noConnectionMetricsWithoutTheTcpModule() {
            withRegistry.withClassLoader(new FilteredClassLoader("io.github.reactivepubsub.tcp")).run(context ->
                    assertThat(context).hasNotFailed().hasSingleBean(HubMetrics.class)
                            .doesNotHaveBean(HubConnectionMetrics.class)
                            .doesNotHaveBean("reactivePubSubConnectionMetrics"));
        }

        @Test
        void noMetricsBeansWithoutMicrometer() {
            runner.withClassLoader(new FilteredClassLoader(MeterBinder.class)).run(context ->
                    assertThat(context).hasSingleBean(Hub.class).doesNotHaveBean(HubMetrics.class)
                            .doesNotHaveBean("reactivePubSubConnectionMetrics"));
        }
    }

    @Nested
    class Remote {

        @Test
        void aRemoteHubFromTheAddressWithCredentialsMetricsAndHealth() {
            Hub brokerHub = Hub.create();
            PubSubServer broker = PubSubServer.bind(brokerHub, Codecs.utf8(),
                    PubSubServerOptions.defaults().credentials("u", "p"), "127.0.0.1", 0).block(WAIT);
            AtomicReference<Hub> hub = new AtomicReference<>();
            try {
                runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
                        .withBean(SimpleMeterRegistry.class)
                        .withPropertyValues("reactive-pubsub.hub=tcp://127.0.0.1:" + broker.port(),
                                "reactive-pubsub.username=u", "reactive-pubsub.password=p")
                        .run(context -> {
                            RemoteHub remote = hubOf(context, RemoteHub.class, hub);
                            remote.connected().block(WAIT);
                            HubHealthIndicator health = healthUp(context);
                            assertThat(health.health().getDetails())
                                    .containsEntry("hub", "tcp://127.0.0.1:" + broker.port());
                            assertThat(remote.publish("k", "v").status())
                                    .isEqualTo(io.github.reactivepubsub.PublishResult.Status.SENT);
                            MeterRegistry registry = context.getBean(MeterRegistry.class);
                            assertThat(registry.get("reactive.pubsub.hub.published").tag("result", "sent")
                                    .functionCounter().count()).isEqualTo(1);
                            assertThat(registry.get("reactive.pubsub.session.open").tag("name", "remote-hub")
                                    .gauge().value()).isEqualTo(1);
                        });
                assertThat(hub.get().isClosed()).isTrue();
                io.github.reactivepubsub.session.Await.until(WAIT, () -> broker.connections() == 0,
                        () -> "the broker saw the graceful close");
            } finally {
                broker.disposeNow(WAIT);
                brokerHub.close();
            }
        }

        @Test
        void aBrokerThatIsNotThereIsNotHealthy() {
            runner.withPropertyValues("reactive-pubsub.hub=tcp://127.0.0.1:1").run(context -> {
                RemoteHub remote = (RemoteHub) context.getBean(Hub.class);
                io.github.reactivepubsub.session.Await.until(WAIT,
                        () -> remote.currentStatus() != ConnectionStatus.CONNECTING, () -> "a failed attempt");
                assertThat(context.getBean(HubHealthIndicator.class).health().getStatus())
                        .isIn(Status.DOWN, Status.UNKNOWN);
            });
        }

        @Test
        void aTcpAddressWithoutTheTcpModuleFailsClearly() {
            runner.withClassLoader(new FilteredClassLoader(RemoteHub.class))
                    .withPropertyValues("reactive-pubsub.hub=tcp://127.0.0.1:7400")
                    .run(context -> assertThat(context).hasFailed().getFailure()
                            .rootCause().hasMessageContaining("needs reactive-pubsub-tcp on the class path"));
        }

        @Test
        void aMalformedAddressFailsClearly() {
            runner.withPropertyValues("reactive-pubsub.hub=tcp://nowhere")
                    .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                            .hasMessageContaining("reactive-pubsub.hub=tcp://nowhere is not a valid address")
                            .hasMessageContaining("expected local, tcp://host:port or redis://host[:port]"));
        }

        @Test
        void aRedisAddressWithoutTheRedisModuleFailsClearly() {
            runner.withClassLoader(new FilteredClassLoader(RedisHub.class))
                    .withPropertyValues("reactive-pubsub.hub=redis://127.0.0.1:6379")
                    .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                            .hasMessageContaining("needs reactive-pubsub-redis on the class path"));
        }
    }

    @Nested
    class Redis {

        @RegisterExtension
        static final RedisServer REDIS = RedisServer.standalone();

        @Test
        void aRedisHubFromTheAddressWithHealthAndMeters() {
            AtomicReference<Hub> hub = new AtomicReference<>();
            runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
                    .withBean(SimpleMeterRegistry.class)
                    .withPropertyValues("reactive-pubsub.hub=" + REDIS.uri()).run(context -> {
                RedisHub redis = hubOf(context, RedisHub.class, hub);
                redis.connected().block(WAIT);
                HubHealthIndicator health = healthUp(context);
                assertThat(health.health().getDetails()).containsEntry("hub", REDIS.uri());
                assertThat(redis.publish("k", "v").status())
                        .isEqualTo(io.github.reactivepubsub.PublishResult.Status.SENT);
                assertThat(context.getBean(MeterRegistry.class).get("reactive.pubsub.hub.published")
                        .tag("result", "sent").functionCounter().count()).isEqualTo(1);
            });
            assertThat(hub.get().isClosed()).as("closed on shutdown").isTrue();
        }
    }

    @Test
    void theHealthIndicatorCanBeSwitchedOff() {
        runner.withPropertyValues("management.health.reactivepubsub.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(Hub.class)
                        .doesNotHaveBean(HubHealthIndicator.class));
    }

    @Test
    void aClosedHubIsOutOfService() {
        runner.run(context -> {
            context.getBean(Hub.class).close();
            assertThat(context.getBean(HubHealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.OUT_OF_SERVICE);
        });
    }

    /**
     * @return the context's hub, checked to be a {@code type}, also kept in {@code holder} for the checks after the
     *     context closed
     */
    private static <H extends Hub> H hubOf(ApplicationContext context, Class<H> type, AtomicReference<Hub> holder) {
        Hub hub = context.getBean(Hub.class);
        assertThat(hub).isInstanceOf(type);
        holder.set(hub);
        return type.cast(hub);
    }

    /** @return the context's health indicator, once it reports the hub UP */
    private static HubHealthIndicator healthUp(ApplicationContext context) {
        HubHealthIndicator health = context.getBean(HubHealthIndicator.class);
        io.github.reactivepubsub.session.Await.until(WAIT, () -> health.health().getStatus().equals(Status.UP),
                () -> "health UP");
        return health;
    }
}
