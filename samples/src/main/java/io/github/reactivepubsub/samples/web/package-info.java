/**
 * A Spring Boot WebFlux app on an in-process hub: a simulated Ready Trader Go market feed bridged into hub topics,
 * Server-Sent Events and publish/topic endpoints, and a live order book page.
 */
@NullMarked
package io.github.reactivepubsub.samples.web;

import org.jspecify.annotations.NullMarked;
