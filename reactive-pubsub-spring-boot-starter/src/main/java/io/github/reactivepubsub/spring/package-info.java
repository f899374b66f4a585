/**
 * Spring Boot auto-configuration of reactive-pubsub: a {@link io.github.reactivepubsub.Hub} bean from the
 * {@code reactive-pubsub.*} properties ({@link io.github.reactivepubsub.spring.ReactivePubSubProperties}), its
 * Micrometer metrics, a health indicator, and a graceful close on shutdown.
 */
@NullMarked
package io.github.reactivepubsub.spring;

import org.jspecify.annotations.NullMarked;
