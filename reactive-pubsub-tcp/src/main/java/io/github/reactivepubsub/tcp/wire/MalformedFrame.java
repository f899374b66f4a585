package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.ProtocolException;

/**
 * Not on the wire: what the server's lenient decoder hands over instead of failing the session, so that the server
 * can answer a malformed frame with an ERROR frame naming what was wrong before it closes the connection.
 */
public record MalformedFrame(ProtocolException error) implements Frame {

    @Override
    public byte[] encode() {
        throw new IllegalStateException("a malformed frame is never sent: " + error.getMessage());
    }
}
