/**
 * Ready Trader Go's market-data messages (order book updates and trade ticks) and their byte codec, as carried in
 * the {@code RTG} shared-memory feed.
 */
@NullMarked
package io.github.reactivepubsub.samples.web.rtg;

import org.jspecify.annotations.NullMarked;
