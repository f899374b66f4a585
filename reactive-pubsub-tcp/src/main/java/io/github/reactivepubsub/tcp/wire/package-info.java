/**
 * Internal: the remote hub's wire protocol ({@code docs/wire-protocol.md}), shared by the client
 * ({@code tcp.remote}) and the broker ({@code tcp.broker}): one record per frame type with a stateless encoding
 * (immutable but for the payload buffer of PUBLISH and MESSAGE), {@link io.github.reactivepubsub.tcp.wire.FrameType}
 * with the explicit wire ids, {@link io.github.reactivepubsub.tcp.wire.FrameCodec} dispatching on the type byte, and
 * the bounded per-connection {@link io.github.reactivepubsub.tcp.wire.FrameQueue}. Its types are public only so that
 * both sides can use them; the module does not export this package and it is not API.
 */
@NullMarked
package io.github.reactivepubsub.tcp.wire;

import org.jspecify.annotations.NullMarked;
