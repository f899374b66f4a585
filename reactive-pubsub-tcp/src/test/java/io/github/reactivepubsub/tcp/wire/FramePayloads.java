package io.github.reactivepubsub.tcp.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Test help: what a PUBLISH or MESSAGE payload holds, for assertions. */
public final class FramePayloads {

    private FramePayloads() {
    }

    /**
     * Reads a duplicate, so the payload is not consumed: a test may look at a frame twice (a filter, then an
     * assertion), and the broker still counts a MESSAGE frame's size by its payload after a test looked at it.
     *
     * @param payload a frame's payload
     * @return its remaining bytes as UTF-8 text
     */
    public static String utf8(ByteBuffer payload) {
        return StandardCharsets.UTF_8.decode(payload.duplicate()).toString();
    }
}
