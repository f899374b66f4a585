/**
 * Internal: building blocks shared by the library's modules (the idle-time primitive behind every heartbeat and
 * timeout). Public only so that the mmap and TCP modules can use them; the module exports this package to those
 * modules alone, and it is not API.
 */
@NullMarked
package io.github.reactivepubsub.internal;

import org.jspecify.annotations.NullMarked;
