/**
 * Internal: building blocks shared by the library's modules (the idle-time primitive behind every heartbeat and
 * timeout, the per-topic counts of the hubs' stats, the range checks of the options classes, the escaping of outside
 * text for logs). Public only so that the mmap, TCP and Redis modules can use them; the module exports this package
 * to those modules alone, and it is not API.
 */
@NullMarked
package io.github.reactivepubsub.internal;

import org.jspecify.annotations.NullMarked;
