package io.github.reactivepubsub.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.session.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.subscriber.TestSubscriber;

/**
 * {@link FrameBatcher} on an {@link EmbeddedChannel} (its event loop runs when the test says so): the messages of one
 * turn share a buffer, batches respect the size cap, the subscriber's demand and the channel's writability, and an
 * encoder's failure passes on the frames before it.
 */
class FrameBatcherTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new WritabilityWatch());
    private final List<ByteBuf> received = new ArrayList<>();

    @AfterEach
    void release() {
        received.forEach(ByteBuf::release);
        channel.finishAndReleaseAll();
    }

    @Test
    void theMessagesOfOneTurnShareABuffer() {
        TestSubscriber<ByteBuf> batches = subscribe(Flux.range(0, 100).map(i -> "m" + i), new Text(true));

        channel.runPendingTasks();

        assertThat(take(batches)).hasSize(1);
        assertThat(texts()).containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "m" + i)
                .collect(Collectors.toList()));
        assertThat(batches.isTerminatedComplete()).isTrue();
    }

    @Test
    void framesOfUnknownLengthAreCopiedInAndABatchStopsAtItsCap() {
        String big = "b".repeat(6_000);
        TestSubscriber<ByteBuf> batches = subscribe(Flux.range(0, 10).map(i -> i + big), new Text(false));

        channel.runPendingTasks();

        List<ByteBuf> buffers = take(batches);
        assertThat(buffers).hasSize(5); // 16 KiB holds two frames of 6 KiB
        assertThat(buffers).allSatisfy(b -> assertThat(b.readableBytes()).isLessThanOrEqualTo(
                FrameBatcher.BATCH_BYTES));
        assertThat(texts()).hasSize(10).allSatisfy(t -> assertThat(t).endsWith(big));
    }

    @Test
    void noBatchBeyondTheDemandNorWhileTheChannelIsNotWritable() {
        Sinks.Many<String> source = Sinks.many().unicast().onBackpressureBuffer();
        TestSubscriber<ByteBuf> batches = TestSubscriber.builder().initialRequest(1).build();
        new FrameBatcher<>(source.asFlux(), new Text(true), channel).subscribe(batches);
        source.tryEmitNext("a");
        channel.runPendingTasks();
        source.tryEmitNext("b");
        channel.runPendingTasks();
        assertThat(take(batches)).as("one batch for a demand of one").hasSize(1);

        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        batches.request(5);
        channel.runPendingTasks();
        assertThat(batches.getReceivedOnNext()).as("batches while not writable").hasSize(1);

        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true); // fires channelWritabilityChanged
        channel.runPendingTasks();
        take(batches);
        assertThat(texts()).containsExactly("a", "b");
        batches.cancel();
    }

    /** A channel that closes is never writable again: what is queued goes on (and fails downstream), no spin. */
    @Test
    void aClosedChannelDoesNotHoldTheQueueBack() {
        Sinks.Many<String> source = Sinks.many().unicast().onBackpressureBuffer();
        TestSubscriber<ByteBuf> batches = TestSubscriber.create();
        new FrameBatcher<>(source.asFlux(), new Text(true), channel).subscribe(batches);
        channel.close();
        assertThat(channel.isWritable()).isFalse();

        source.tryEmitNext("after the close");
        channel.runPendingTasks();

        take(batches);
        assertThat(texts()).containsExactly("after the close");
        batches.cancel();
    }

    @Test
    void anEncoderFailurePassesOnTheFramesBeforeItThenFails() {
        TestSubscriber<ByteBuf> batches = subscribe(Flux.just("ok", "also ok", "bad", "never"), new Text(true));

        channel.runPendingTasks();

        take(batches);
        assertThat(texts()).containsExactly("ok", "also ok");
        assertThat(batches.expectTerminalError()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot encode 'bad'");
    }

    private TestSubscriber<ByteBuf> subscribe(Flux<String> messages, FrameEncoder<String> encoder) {
        TestSubscriber<ByteBuf> batches = TestSubscriber.create();
        new FrameBatcher<>(messages, encoder, channel).subscribe(batches);
        return batches;
    }

    /** @return the batches the subscriber received so far (kept, in order, to be read and released) */
    private List<ByteBuf> take(TestSubscriber<ByteBuf> batches) {
        List<ByteBuf> all = batches.getReceivedOnNext();
        for (ByteBuf b : all) {
            if (received.stream().noneMatch(r -> r == b)) {
                received.add(b);
            }
        }
        return all;
    }

    /** The text of every frame of every batch taken, in order. */
    private List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (ByteBuf batch : received) {
            for (int at = batch.readerIndex(); at < batch.writerIndex(); ) {
                int length = batch.getInt(at);
                texts.add(batch.toString(at + 4, length, StandardCharsets.UTF_8));
                at += 4 + length;
            }
        }
        return texts;
    }

    /** Length-prefixed UTF-8; announces lengths or not; refuses "bad". */
    private record Text(boolean knowsLengths) implements FrameEncoder<String> {

        @Override
        public ByteBuffer encode(String text) {
            byte[] bytes = bytes(text);
            return ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).flip();
        }

        @Override
        public int frameLength(String text) {
            return knowsLengths ? 4 + bytes(text).length : -1;
        }

        @Override
        public void encode(String text, ByteBuffer out) {
            byte[] bytes = bytes(text);
            out.putInt(bytes.length).put(bytes);
        }

        private static byte[] bytes(String text) {
            if (text.equals("bad")) {
                throw new IllegalArgumentException("cannot encode 'bad'");
            }
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
