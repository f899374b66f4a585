/**
 * Binary codecs: payload {@link io.github.reactivepubsub.codec.Codec}s, field types with exact byte semantics, and
 * declarative message definitions. Malformed input is always reported as a
 * {@link io.github.reactivepubsub.ProtocolException} with the offset and what was expected.
 */
@NullMarked
package io.github.reactivepubsub.codec;

import org.jspecify.annotations.NullMarked;
