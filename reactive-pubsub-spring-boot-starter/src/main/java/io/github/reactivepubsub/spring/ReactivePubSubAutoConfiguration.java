package io.github.reactivepubsub.spring;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.micrometer.HubMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures reactive-pubsub from the {@code reactive-pubsub.*} properties ({@link ReactivePubSubProperties}).
 * Every bean backs off when the application defines its own: a bean of its type, or a bean of its name.
 *
 * <ul>
 * <li>{@code Hub}: in-process by default; a {@code RemoteHub} for {@code reactive-pubsub.hub=tcp://host:port}
 *     (with {@code reactive-pubsub-tcp}); a {@code RedisHub} for {@code redis://host[:port]} or
 *     {@code rediss://host[:port]} (with {@code reactive-pubsub-redis}; Lettuce's URI syntax, port 6379 by default).
 *     Closed gracefully when the context closes (a remote hub writes what it reported as sent before its connection
 *     closes).</li>
 * <li>{@code HubMetrics} (a Micrometer {@code MeterBinder}, bound by Spring Boot to every {@code MeterRegistry})
 *     when Micrometer is present and {@code reactive-pubsub.metrics.enabled} is not false; with the TCP module also
 *     a {@link HubConnectionMetrics}, which has meters for a remote hub only (its connections'
 *     {@code SessionMetrics}, tag {@code name=remote-hub}).</li>
 * <li>{@link HubHealthIndicator} ({@code reactivePubSub} in {@code /actuator/health}) with Spring Boot's health
 *     module, unless {@code management.health.reactivepubsub.enabled=false}.</li>
 * </ul>
 */
@AutoConfiguration
@EnableConfigurationProperties(ReactivePubSubProperties.class)
public class ReactivePubSubAutoConfiguration {

    /** Created by Spring. */
    public ReactivePubSubAutoConfiguration() {
    }

    /**
     * @param properties the {@code reactive-pubsub.*} properties
     * @param codec a {@code Codec} bean for a remote hub's payloads, if the application defines one
     * @param context where the transport modules are looked for
     * @return the hub the properties describe; Spring closes it on shutdown
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Hub reactivePubSubHub(ReactivePubSubProperties properties, ObjectProvider<Codec<?>> codec,
            ApplicationContext context) {
        return HubFactory.create(properties, codec.getIfUnique(), context.getClassLoader());
    }

    /** Metrics, when Micrometer is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    @ConditionalOnProperty(prefix = "reactive-pubsub.metrics", name = "enabled", matchIfMissing = true)
    public static class MetricsConfiguration {

        /** Created by Spring. */
        public MetricsConfiguration() {
        }

        /**
         * @param hub the hub
         * @param properties its metrics settings (name, topics)
         * @return the hub's binder; Spring Boot binds every {@code MeterBinder} bean to its registries
         */
        @Bean
        @ConditionalOnMissingBean
        public HubMetrics reactivePubSubHubMetrics(Hub hub, ReactivePubSubProperties properties) {
            return HubMetrics.of(hub).name(properties.metrics().name())
                    .topics(properties.metrics().topics().stream().map(Key::parse).toList());
        }

        /** A remote hub's connection meters, when the TCP module is on the class path. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = HubFactory.REMOTE_HUB)
        public static class ConnectionMetricsConfiguration {

            /** Created by Spring. */
            public ConnectionMetricsConfiguration() {
            }

            /**
             * Backs off for the application's own {@code HubConnectionMetrics} (a {@code MeterBinder} of another
             * type is no reason to: Spring Boot binds every one), or a bean of this name.
             *
             * @param hub the hub
             * @return a binder of its connections' meters (none unless it is a remote hub)
             */
            @Bean
            @ConditionalOnMissingBean(value = HubConnectionMetrics.class, name = "reactivePubSubConnectionMetrics")
            public HubConnectionMetrics reactivePubSubConnectionMetrics(Hub hub) {
                return HubConnectionMetrics.of(hub);
            }
        }
    }

    /** The health indicator, with Spring Boot's health module. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("reactivepubsub")
    public static class HealthConfiguration {

        /** Created by Spring. */
        public HealthConfiguration() {
        }

        /**
         * Backs off for the application's own {@code HubHealthIndicator}, or a bean of this name.
         *
         * @param hub the hub
         * @param properties tells what the hub is
         * @return the indicator
         */
        @Bean
        @ConditionalOnMissingBean(value = HubHealthIndicator.class, name = "reactivePubSubHealthIndicator")
        public HubHealthIndicator reactivePubSubHealthIndicator(Hub hub, ReactivePubSubProperties properties) {
            return new HubHealthIndicator(hub, HubFactory.describe(properties));
        }
    }
}
