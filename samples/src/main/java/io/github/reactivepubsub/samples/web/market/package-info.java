/**
 * The simulated market: an exchange simulator producing Ready Trader Go datagrams, the feed that carries them to the
 * hub, and the hub topics they end up on.
 */
@NullMarked
package io.github.reactivepubsub.samples.web.market;

import org.jspecify.annotations.NullMarked;
