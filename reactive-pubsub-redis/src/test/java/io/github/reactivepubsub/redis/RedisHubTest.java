package io.github.reactivepubsub.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.TopicOptions;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** RedisHub against a real redis-server: mapping, interop with redis-cli, bad input, introspection. */
class RedisHubTest {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.standalone();

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private final Disposable.Composite cleanup = Disposables.composite();

    @AfterEach
    void closeAll() {
        cleanup.dispose();
    }

    RedisHub hub(RedisHubOptions options) {
        RedisHub hub = RedisHub.create(REDIS.uri(), Codecs.utf8(), options);
        cleanup.add(hub::close);
        hub.connected().block(WAIT);
        return hub;
    }

    RedisHub hub() {
        return hub(RedisHubOptions.defaults());
    }

    static void awaitSubscribers(RedisHub hub, String topic, int count) {
        Key key = Key.parse(topic);
        Await.until(WAIT, () -> hub.subscriberCount(key) == count,
                () -> "subscriberCount(" + topic + ") == " + count + ", is " + hub.subscriberCount(key));
    }

    @Nested
    class Mapping {

        @Test
        void globsEscapeLiteralMetacharactersAndCoverDeepPatterns() {
            ChannelNames names = new ChannelNames("app:");
            assertThat(names.channel(Key.parse("NASDAQ.trade.GOOGL"))).isEqualTo("app:NASDAQ.trade.GOOGL");
            assertThat(names.glob(Key.parse("*.trade.*"))).isEqualTo("app:*.trade.*");
            assertThat(names.glob(Key.parse("NYSE.**"))).isEqualTo("app:NYSE*");
            assertThat(names.glob(Key.parse("**"))).isEqualTo("app:*");
            assertThat(names.glob(Key.parse("a.*.**"))).isEqualTo("app:a.*");
            assertThat(names.glob(Key.parse("a?b.[x].\\.*"))).isEqualTo("app:a\\?b.\\[x\\].\\\\.*");
            assertThat(new ChannelNames("n[1]*:").glob(Key.parse("k.*"))).isEqualTo("n\\[1\\]\\*:k.*");
            assertThat(names.key("app:NASDAQ.trade.GOOGL")).isEqualTo(Key.parse("NASDAQ.trade.GOOGL"));
            assertThat(names.key("other:NASDAQ")).isNull();
            assertThat(names.key("app:a..b")).isNull();
            assertThat(names.key("app:a.*")).isNull();
            assertThat(ChannelNames.printable("a\nb\u001b[31m'\\é")).isEqualTo("a\\u000ab\\u001b[31m\\u0027\\u005c\\u00e9");
        }

        @Test
        void aPatternNeverReceivesADeeperKeyThoughRedisGlobsCrossDots() {
            RedisHub hub = hub();
            List<String> received = new CopyOnWriteArrayList<>();
            cleanup.add(hub.<String>subscribe("demo.*").subscribe(m -> received.add("one " + m.key())));
            cleanup.add(hub.<String>subscribe("demo.**").subscribe(m -> received.add("deep " + m.key())));
            cleanup.add(hub.<String>subscribe("demo.*.**").subscribe(m -> received.add("oneOrMore " + m.key())));
            awaitSubscribers(hub, "demo.*", 1);
            awaitSubscribers(hub, "demo.**", 1);
            awaitSubscribers(hub, "demo.*.**", 1);
            hub.publish("demo.x.y", "1");
            hub.publish("demox", "2");          // matched by the glob demo* of demo.**, not by demo.**
            hub.publish("demo", "3");
            hub.publish("demo.x", "4");
            Await.until(WAIT, () -> received.size() == 6, () -> "6 deliveries, are " + received);
            assertThat(received).containsExactlyInAnyOrder("deep demo.x.y", "oneOrMore demo.x.y", "deep demo",
                    "one demo.x", "deep demo.x", "oneOrMore demo.x");
        }

        @Test
        void literalGlobMetacharactersInKeysAreMatchedLiterally() {
            RedisHub hub = hub();
            List<String> received = new CopyOnWriteArrayList<>();
            cleanup.add(hub.<String>subscribe("a?c.*").subscribe(m -> received.add(m.key().toString())));
            awaitSubscribers(hub, "a?c.*", 1);
            hub.publish("abc.x", "no");  // '?' would match 'b' unescaped
            hub.publish("a?c.x", "yes");
            Await.until(WAIT, () -> received.size() == 1, () -> "one delivery, are " + received);
            hub.publish("a?c.last", "yes");
            Await.until(WAIT, () -> received.size() == 2, () -> "two deliveries, are " + received);
            assertThat(received).containsExactly("a?c.x", "a?c.last");
        }

        @Test
        void hubsWithDifferentNamespacesDoNotSeeEachOther() {
            RedisHub a = hub(RedisHubOptions.defaults().namespace("a:"));
            RedisHub b = hub(RedisHubOptions.defaults().namespace("b:"));
            RedisHub a2 = hub(RedisHubOptions.defaults().namespace("a:"));
            List<String> inB = new CopyOnWriteArrayList<>();
            cleanup.add(b.<String>subscribe("news.**").subscribe(m -> inB.add(m.payload())));
            StepVerifier sameNamespace = StepVerifier.create(a2.<String>subscribe("news.*").map(Message::payload)
                    .take(1)).expectNext("first").expectComplete().verifyLater();
            awaitSubscribers(a2, "news.*", 1);
            awaitSubscribers(b, "news.**", 1);
            a.publish("news.tech", "first");
            sameNamespace.verify(WAIT);
            b.publish("news.tech", "in b");
            Await.until(WAIT, () -> inB.size() == 1, () -> "b's own message");
            assertThat(inB).containsExactly("in b");
        }
    }

    @Nested
    class RedisCliInterop {

        @Test
        void aRedisCliPublishReachesAPatternSubscriberButNotADeeperKey() {
            RedisHub hub = hub();
            StepVerifier trades = StepVerifier.create(hub.<String>subscribe("*.trade.*")
                            .map(m -> m.key() + " " + m.payload()).take(2))
                    .expectNext("NASDAQ.trade.GOOGL 56@1639", "NYSE.trade.IBM 10@140")
                    .expectComplete().verifyLater();
            awaitSubscribers(hub, "*.trade.*", 1);
            assertThat(REDIS.cli("PUBLISH", "NASDAQ.trade.GOOGL", "56@1639")).isEqualTo("1\n");
            assertThat(REDIS.cli("PUBLISH", "NASDAQ.trade.GOOGL.extra", "deeper")).isEqualTo("1\n"); // filtered
            assertThat(REDIS.cli("PUBLISH", "NASDAQ..trade", "not a key")).isEqualTo("0\n");
            assertThat(REDIS.cli("PUBLISH", "NYSE.trade.IBM", "10@140")).isEqualTo("1\n");
            trades.verify(WAIT);
        }

        @Test
        void aPublishIsSeenByRedisCliSubscribe() throws Exception {
            RedisHub hub = hub();
            Process cli = REDIS.startCli("SUBSCRIBE", "NASDAQ.trade.GOOGL");
            try (BufferedReader out = new BufferedReader(new InputStreamReader(cli.getInputStream(),
                    StandardCharsets.UTF_8))) {
                assertThat(List.of(out.readLine(), out.readLine(), out.readLine()))
                        .containsExactly("subscribe", "NASDAQ.trade.GOOGL", "1");
                StepVerifier.create(hub.count(Key.parse("NASDAQ.trade.GOOGL")))
                        .expectNext(Map.of(Key.parse("NASDAQ.trade.GOOGL"), 1L)).verifyComplete();
                assertThat(hub.publish("NASDAQ.trade.GOOGL", "héllo")).isEqualTo(PublishResult.SENT);
                assertThat(List.of(out.readLine(), out.readLine(), out.readLine()))
                        .containsExactly("message", "NASDAQ.trade.GOOGL", "héllo");
            } finally {
                cli.destroyForcibly();
            }
        }

        @Test
        void countAndChannelsAskRedisAboutEveryClient() {
            RedisHub hub = hub(RedisHubOptions.defaults().namespace("cc:"));
            RedisHub other = hub(RedisHubOptions.defaults().namespace("cc:"));
            cleanup.add(hub.subscribe("x.one").subscribe());
            cleanup.add(other.subscribe("x.one").subscribe());
            cleanup.add(other.subscribe("x.two.deep").subscribe());
            awaitSubscribers(hub, "x.one", 1);
            awaitSubscribers(other, "x.one", 1);
            awaitSubscribers(other, "x.two.deep", 1);
            StepVerifier.create(hub.count(Key.parse("x.one"), Key.parse("x.none")))
                    .expectNext(Map.of(Key.parse("x.one"), 2L, Key.parse("x.none"), 0L)).verifyComplete();
            StepVerifier.create(hub.channels(Key.parse("x.*"))).expectNext(List.of(Key.parse("x.one")))
                    .verifyComplete();
            StepVerifier.create(hub.channels(Key.parse("**")))
                    .expectNext(List.of(Key.parse("x.one"), Key.parse("x.two.deep"))).verifyComplete();
            StepVerifier.create(hub.publishAndCount(Key.parse("x.one"), "m")).expectNext(2L).verifyComplete();
        }
    }

    @Nested
    class BadInput {

        /** Decodes UTF-8 but refuses payloads starting with '!'. */
        final Codec<String> picky = new Codec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(ByteBuffer buffer) {
                if (buffer.hasRemaining() && buffer.get(buffer.position()) == '!') {
                    throw new IllegalArgumentException("payload starts with '!'");
                }
                return StandardCharsets.UTF_8.decode(buffer).toString();
            }

            @Override
            public String toString() {
                return "picky";
            }
        };

        @Test
        void anUndecodablePayloadFailsOnlyTheSubscribersItReachedNamingChannelAndCodec() {
            RedisHub hub = RedisHub.create(REDIS.uri(), picky, RedisHubOptions.defaults().namespace("bad:"));
            cleanup.add(hub::close);
            hub.connected().block(WAIT);
            StepVerifier victim = StepVerifier.create(hub.<String>subscribe("in.*").map(Message::payload))
                    .expectNext("fine")
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisHubException.class)
                            .hasMessageContaining("channel 'bad:in.x\\u0027'")
                            .hasMessageContaining("codec picky")
                            .hasMessageContaining("payload starts with \\u0027!\\u0027")
                            .satisfies(x -> assertThat(((RedisHubException) x).reason())
                                    .isEqualTo(RedisHubException.Reason.UNDECODABLE)))
                    .verifyLater();
            StepVerifier bystander = StepVerifier.create(hub.<String>subscribe("other.k").map(Message::payload)
                    .take(2)).expectNext("before", "after").expectComplete().verifyLater();
            awaitSubscribers(hub, "in.*", 1);
            awaitSubscribers(hub, "other.k", 1);
            hub.publish("other.k", "before");
            REDIS.cli("PUBLISH", "bad:in.y", "fine");
            REDIS.cli("PUBLISH", "bad:in.x'", "!boom"); // a quote: escaped in the message
            victim.verify(WAIT);
            awaitSubscribers(hub, "in.*", 0);
            hub.publish("other.k", "after");
            bystander.verify(WAIT);
            assertThat(hub.currentStatus()).isEqualTo(ConnectionStatus.CONNECTED);
        }

        @Test
        void anOversizedMessageIsRefusedBeforeSendingAndAnOversizedArrivalFailsItsSubscriber() {
            RedisHub hub = hub(RedisHubOptions.defaults().namespace("big:").maxMessageBytes(8));
            assertThatThrownBy(() -> hub.publish("k", "123456789"))
                    .isInstanceOf(RedisHubException.class)
                    .hasMessage("message to 'k' (channel 'big:k') is 9 bytes encoded by codec " + Codecs.utf8()
                            + "; the limit is 8 (RedisHubOptions.maxMessageBytes): not sent")
                    .satisfies(e -> assertThat(((RedisHubException) e).reason())
                            .isEqualTo(RedisHubException.Reason.TOO_LARGE));
            assertThat(REDIS.cli("PUBSUB", "NUMSUB", "big:k")).isEqualTo("big:k\n0\n");
            StepVerifier.create(hub.<String>subscribe("k").map(Message::payload))
                    .then(() -> {
                        awaitSubscribers(hub, "k", 1);
                        assertThat(hub.publish("k", "12345678")).isEqualTo(PublishResult.SENT);
                        REDIS.cli("PUBLISH", "big:k", "123456789");
                    })
                    .expectNext("12345678")
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisHubException.class)
                            .hasMessageContaining("message of 9 bytes on channel 'big:k'")
                            .hasMessageContaining("exceeds maxMessageBytes 8"))
                    .verify(WAIT);
        }

        @Test
        void aReplayDeclarationNeedsAnExactKey() {
            RedisHub hub = hub();
            assertThatThrownBy(() -> hub.declare(Key.parse("a.*"), TopicOptions.defaults().replay(3)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot declare pattern 'a.*' with replay 3")
                    .hasMessageContaining("needs an exact key");
        }
    }

    @Nested
    class Introspection {

        @Test
        void metaMessagesReachLocalSubscribersOnly() {
            RedisHub hub = hub(RedisHubOptions.defaults().namespace("meta:"));
            RedisHub elsewhere = hub(RedisHubOptions.defaults().namespace("meta:"));
            List<String> remote = new CopyOnWriteArrayList<>();
            cleanup.add(elsewhere.<Object>subscribe("Hub.**").subscribe(m -> remote.add(m.key().toString())));
            awaitSubscribers(elsewhere, "Hub.**", 1);
            StepVerifier meta = StepVerifier.create(hub.<HubEvent>subscribe("Hub.*.news").take(2)
                            .map(m -> m.key() + " " + m.payload()))
                    .expectNext("Hub.addedSubscriber.news " + new HubEvent.Added(Key.parse("news"), 1),
                            "Hub.removedSubscriber.news " + new HubEvent.Removed(Key.parse("news"), 0))
                    .expectComplete().verifyLater();
            awaitSubscribers(hub, "Hub.*.news", 1);
            Disposable news = hub.subscribe("news").subscribe();
            awaitSubscribers(hub, "news", 1);
            news.dispose();
            meta.verify(WAIT);
            // the other hub saw only its own topic's meta messages, nothing through Redis
            assertThat(remote).allMatch(k -> k.endsWith(".Hub.**"));
        }

        @Test
        void topicsAreLocalAndDeclaredTopicsAreListed() {
            RedisHub hub = hub(RedisHubOptions.defaults().namespace("topics:"));
            Disposable declared = hub.declare(Key.parse("kept"), TopicOptions.defaults());
            cleanup.add(hub.subscribe("a.*").subscribe());
            assertThat(hub.topics(Key.parse("**"))).extracting(Key::toString).containsExactly("a.*", "kept");
            declared.dispose();
            assertThat(hub.topics(Key.parse("**"))).extracting(Key::toString).containsExactly("a.*");
        }
    }

    @Nested
    class Publishing {

        @Test
        void aFullWindowIsBackPressuredAndAClosedHubSaysClosed() {
            RedisHub hub = hub(RedisHubOptions.defaults().maxInFlight(1));
            int backPressured = 0;
            for (int i = 0; i < 1_000; i++) {
                PublishResult r = hub.publish("window.k", "m" + i);
                assertThat(r).isIn(PublishResult.SENT, PublishResult.BACK_PRESSURED);
                if (r == PublishResult.BACK_PRESSURED) {
                    backPressured++;
                }
            }
            assertThat(backPressured).as("publishes refused by a window of 1").isPositive();
            Await.until(WAIT, () -> hub.inFlight() == 0, () -> "replies received, in flight " + hub.inFlight());
            hub.close();
            assertThat(hub.publish("window.k", "late")).isEqualTo(PublishResult.CLOSED);
            hub.status().blockLast(WAIT);
            assertThat(hub.currentStatus()).isEqualTo(ConnectionStatus.CLOSED);
            StepVerifier.create(hub.status()).expectNext(ConnectionStatus.CLOSED).verifyComplete();
        }

        @Test
        void publishingAndSubscribingOnANonBlockingThreadDoNotBlock() {
            RedisHub hub = hub(RedisHubOptions.defaults().namespace("nb:"));
            // BlockHound is installed: a blocking call on a parallel (non-blocking) thread would fail this
            StepVerifier received = StepVerifier.create(Mono.defer(() -> hub.<String>subscribe("nb.k")
                            .map(Message::payload).next()).subscribeOn(Schedulers.parallel()))
                    .expectNext("from parallel").expectComplete().verifyLater();
            awaitSubscribers(hub, "nb.k", 1);
            StepVerifier.create(Mono.fromCallable(() -> hub.publish("nb.k", "from parallel"))
                            .subscribeOn(Schedulers.parallel()))
                    .expectNext(PublishResult.SENT).verifyComplete();
            received.verify(WAIT);
        }

        @Test
        void publishingIsRejectedWhileDisconnected() {
            RedisHub hub = RedisHub.create("redis://127.0.0.1:1", Codecs.utf8(), RedisHubOptions.defaults()
                    .backoff(Duration.ofMinutes(1), Duration.ofMinutes(1), 0));
            cleanup.add(hub::close);
            assertThat(hub.publish("k", "v")).isEqualTo(PublishResult.DISCONNECTED);
            Await.until(WAIT, () -> hub.currentStatus() == ConnectionStatus.DISCONNECTED, () -> "disconnected");
            assertThat(hub.publish("k", "v")).isEqualTo(PublishResult.DISCONNECTED);
            StepVerifier.create(hub.publishAndCount(Key.parse("k"), "v"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisHubException.class)
                            .hasMessageContaining("cannot publish to 'k'"))
                    .verify(WAIT);
        }

        @Test
        void subscribersOfOneKeyShareOneRedisSubscription() {
            RedisHub hub = hub(RedisHubOptions.defaults().namespace("share:"));
            Disposable one = hub.subscribe("k").subscribe();
            Disposable two = hub.subscribe("k").subscribe();
            Disposable p1 = hub.subscribe("x.*.**").subscribe();
            Disposable p2 = hub.subscribe("x.*").subscribe(); // the same glob, x.*
            awaitSubscribers(hub, "k", 2);
            awaitSubscribers(hub, "x.*", 1);
            assertThat(REDIS.cli("PUBSUB", "NUMSUB", "share:k")).isEqualTo("share:k\n1\n");
            // (hubs of earlier tests close asynchronously: wait for their patterns to go)
            Await.until(WAIT, () -> REDIS.cli("PUBSUB", "NUMPAT").equals("1\n"), () -> "one pattern at Redis");
            one.dispose();
            p1.dispose();
            assertThat(REDIS.cli("PUBSUB", "NUMSUB", "share:k")).isEqualTo("share:k\n1\n");
            two.dispose();
            p2.dispose();
            Await.until(WAIT, () -> REDIS.cli("PUBSUB", "NUMSUB", "share:k").equals("share:k\n0\n")
                    && REDIS.cli("PUBSUB", "NUMPAT").equals("0\n"), () -> "unsubscribed at Redis");
        }
    }
}
