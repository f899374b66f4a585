/**
 * TCP transports: sessions over Reactor Netty, SoupBinTCP 3.00 client and server, and the remote hub.
 */
@NullMarked
package io.github.reactivepubsub.tcp;

import org.jspecify.annotations.NullMarked;
