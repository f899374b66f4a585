package consumer;

/** Must not compile: the frames of the wire protocol are internal to the tcp module. */
final class Internal {
    Object frame = io.github.reactivepubsub.tcp.wire.FrameType.class;
}
