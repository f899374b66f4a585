package io.github.reactivepubsub.tcp.wire;

/**
 * Not a frame type: a frame body already encoded by its sender (the client's publish path encodes a PUBLISH once,
 * to check its size against the limit before queueing it). Never produced by decoding.
 */
public record EncodedFrame(byte[] body) implements Frame {

    @Override
    public byte[] encode() {
        return body;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedFrame f && java.util.Arrays.equals(f.body, body);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "EncodedFrame[" + body.length + " bytes]";
    }
}
