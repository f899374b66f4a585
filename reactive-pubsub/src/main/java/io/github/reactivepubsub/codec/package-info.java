/**
 * Binary codecs: payload {@link io.github.reactivepubsub.codec.Codec}s, field types with exact byte semantics, and
 * declarative message definitions. Malformed input is always reported as a
 * {@link io.github.reactivepubsub.ProtocolException} with the offset and what was expected.
 *
 * <h2>What the declarative codec is for</h2>
 * {@link io.github.reactivepubsub.codec.MessageRegistry} and {@link io.github.reactivepubsub.codec.RecordDefinition}
 * describe <em>application</em> messages (ITCH, OUCH, an exchange's market data): fixed layouts of typed fields,
 * decoded from a {@code ByteBuffer} into a record with one allocation per message. The library's own framing
 * protocols (SoupBinTCP packets, the remote hub's frames, the shared-memory records) are deliberately not defined
 * with it: they decode straight from Netty's pooled {@code ByteBuf}s or from the mapped file, hand their payloads on
 * as retained slices or read-only views without copying, and carry variable-length fields (length-prefixed strings,
 * padded ASCII numbers with the protocol's own leniency) that a fixed record layout does not express. Defining them
 * here would add a copy and a record per frame on the paths whose cost the benchmarks watch; their layouts are
 * documented in {@code docs/} instead, each with golden byte vectors in the tests.
 */
@NullMarked
package io.github.reactivepubsub.codec;

import org.jspecify.annotations.NullMarked;
