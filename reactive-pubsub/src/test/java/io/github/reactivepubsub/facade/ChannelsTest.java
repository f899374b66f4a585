package io.github.reactivepubsub.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubOptions;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** The pulsar-shaped facade: {@link Channels} over an in-process hub. */
class ChannelsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Hub hub = Hub.create();
    private final Channels channels = Channels.create(hub, "shop");

    @AfterEach
    void tearDown() {
        channels.close();
        hub.close();
    }

    /** Records what a handler receives as {@code event=data}. */
    private static BiConsumer<String, Object> recorder(List<String> into) {
        return (event, data) -> into.add(event + "=" + data);
    }

    @Test
    void registeredHandlerReceivesTheEventNameAndData() {
        List<String> received = new CopyOnWriteArrayList<>();
        channels.register("orders", "created", recorder(received));

        assertThat(channels.publish("orders", "created", 42)).isEqualTo(PublishResult.delivered(1));
        assertThat(channels.publish("orders", "cancelled", 43)).isEqualTo(PublishResult.NO_SUBSCRIBERS);
        assertThat(channels.publish("payments", "created", 44)).isEqualTo(PublishResult.NO_SUBSCRIBERS);

        assertThat(received).containsExactly("created=42");
    }

    @Test
    void eventsArePublishedToTheHubKeyNamespaceChannelEvent() {
        List<Message<Object>> seen = new CopyOnWriteArrayList<>();
        hub.<Object>subscribe("shop.orders.*").subscribe(seen::add);
        Channels otherNamespace = Channels.create(hub, "warehouse");

        channels.publish("orders", "created", "o-1");
        otherNamespace.publish("orders", "created", "w-1");

        assertThat(seen).containsExactly(new Message<>(Key.parse("shop.orders.created"), "o-1"));
        assertThat(channels.namespace()).isEqualTo("shop");
    }

    @Test
    void disposingTheRegistrationStopsTheHandler() {
        List<String> received = new CopyOnWriteArrayList<>();
        Disposable registration = channels.register("orders", "*", recorder(received));
        channels.publish("orders", "created", 1);

        registration.dispose();
        registration.dispose(); // idempotent

        assertThat(registration.isDisposed()).isTrue();
        assertThat(channels.publish("orders", "created", 2)).isEqualTo(PublishResult.NO_SUBSCRIBERS);
        assertThat(received).containsExactly("created=1");
        assertThat(channels.count("orders")).containsExactly(entry("orders", 0));
    }

    @Test
    void unregisterRemovesEveryRegistrationOfThatHandlerChannelAndPatternOnly() {
        List<String> removed = new CopyOnWriteArrayList<>();
        List<String> kept = new CopyOnWriteArrayList<>();
        BiConsumer<String, Object> handler = recorder(removed);
        Disposable a = channels.register("orders", "created", handler);
        Disposable b = channels.register("orders", "created", handler);
        Disposable samePatternOtherHandler = channels.register("orders", "created", recorder(kept));
        Disposable sameHandlerOtherPattern = channels.register("orders", "cre*", handler);

        assertThat(channels.unregister("orders", "created", handler)).isTrue();
        assertThat(channels.unregister("orders", "created", handler)).as("nothing left to remove").isFalse();
        assertThat(channels.unregister("payments", "created", handler)).isFalse();

        assertThat(a.isDisposed()).isTrue();
        assertThat(b.isDisposed()).isTrue();
        assertThat(samePatternOtherHandler.isDisposed()).isFalse();
        assertThat(sameHandlerOtherPattern.isDisposed()).isFalse();
        channels.publish("orders", "created", 1);
        assertThat(kept).containsExactly("created=1");
        assertThat(removed).as("only through the 'cre*' registration").containsExactly("created=1");
    }

    @Test
    void aThrowingHandlerIsLoggedAndKeepsReceivingLaterEvents() {
        List<String> attempts = new CopyOnWriteArrayList<>();
        List<String> others = new CopyOnWriteArrayList<>();
        Disposable throwing = channels.register("orders", "*", (event, data) -> {
            attempts.add(event);
            if (event.startsWith("bad")) {
                throw new IllegalStateException("handler failure for " + event);
            }
        });
        channels.register("orders", "*", recorder(others));

        channels.publish("orders", "ok1", 1);
        assertThat(channels.publish("orders", "bad", 2)).isEqualTo(PublishResult.delivered(2));
        channels.publish("orders", "ok2", 3);

        assertThat(attempts).containsExactly("ok1", "bad", "ok2");
        assertThat(others).containsExactly("ok1=1", "bad=2", "ok2=3");
        assertThat(throwing.isDisposed()).isFalse();
        assertThat(channels.count("orders")).containsExactly(entry("orders", 2));
    }

    @Test
    void aHandlerIsNeverCalledConcurrentlyWithItselfAndMissesNothing() throws InterruptedException {
        int perThread = 20_000;
        try (Hub big = Hub.create(HubOptions.defaults()
                .subscribeDefaults(SubscribeOptions.defaults().bufferSize(2 * perThread)))) {
            Channels bigChannels = Channels.create(big, "load");
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            AtomicInteger calls = new AtomicInteger();
            bigChannels.register("c", "e*", (event, data) -> {
                if (inside.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                calls.incrementAndGet();
                inside.decrementAndGet();
            });
            List<Thread> publishers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                String event = "e" + t;
                publishers.add(new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        bigChannels.publish("c", event, i);
                    }
                }));
            }
            publishers.forEach(Thread::start);
            for (Thread p : publishers) {
                p.join(WAIT.toMillis());
                assertThat(p.isAlive()).as("publisher finished within " + WAIT).isFalse();
            }

            assertThat(overlaps.get()).isZero();
            assertThat(calls.get()).isEqualTo(2 * perThread);
        }
    }

    @Test
    void countAndChannelsReportActiveChannelsOfTheNamespace() {
        channels.register("orders", "created", (e, d) -> { });
        channels.register("orders", "*", (e, d) -> { });
        channels.register("payments", "pay*", (e, d) -> { });
        Disposable hubSubscriber = hub.subscribe("shop.refunds.issued").subscribe();
        hub.subscribe("shop.**").subscribe(); // a broader hub pattern: neither a channel nor counted
        Channels.create(hub, "warehouse").register("stock", "*", (e, d) -> { });

        assertThat(channels.count("orders", "payments", "refunds", "stock"))
                .containsExactly(entry("orders", 2), entry("payments", 1), entry("refunds", 1), entry("stock", 0));
        assertThat(channels.channels("*")).containsExactly("orders", "payments", "refunds");
        assertThat(channels.channels("pay*")).containsExactly("payments");
        assertThat(channels.channels("*s")).containsExactly("orders", "payments", "refunds");
        assertThat(channels.channels("re+unds")).isEmpty();

        hubSubscriber.dispose();
        assertThat(channels.channels("*")).containsExactly("orders", "payments");
    }

    @Nested
    class Status {

        @Test
        void connectedThenClosedWhenTheHubCloses() {
            StepVerifier.create(channels.status())
                    .expectNext(ConnectionStatus.CONNECTED)
                    .then(hub::close)
                    .expectNext(ConnectionStatus.CLOSED)
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(channels.status()).expectNext(ConnectionStatus.CLOSED).expectComplete().verify(WAIT);
        }

        @Test
        void closingTheHubEndsRegistrationsAndRejectsPublishes() {
            Disposable registration = channels.register("orders", "*", (e, d) -> { });

            hub.close();

            assertThat(registration.isDisposed()).isTrue();
            assertThat(channels.publish("orders", "created", 1)).isEqualTo(PublishResult.CLOSED);
        }

        @Test
        void closingTheChannelsEndsStatusAndRegistrationsButNotTheHub() {
            Disposable registration = channels.register("orders", "*", (e, d) -> { });

            StepVerifier.create(channels.status())
                    .expectNext(ConnectionStatus.CONNECTED)
                    .then(channels::close)
                    .expectNext(ConnectionStatus.CLOSED)
                    .expectComplete()
                    .verify(WAIT);

            assertThat(registration.isDisposed()).isTrue();
            assertThat(hub.isClosed()).isFalse();
            assertThat(hub.subscriberCount(Key.parse("shop.orders.*"))).isZero();
            assertThat(channels.publish("orders", "created", 1)).isEqualTo(PublishResult.CLOSED);
            assertThatThrownBy(() -> channels.register("orders", "*", (e, d) -> { }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Channels of namespace 'shop' are closed");
        }
    }

    @Nested
    class Validation {

        @Test
        void namesWithADotAreRejectedWithTheKeyLayout() {
            assertThatThrownBy(() -> Channels.create(hub, "my.shop"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("namespace 'my.shop' contains '.'")
                    .hasMessageContaining("<namespace>.<channel>.<event>");
            assertThatThrownBy(() -> channels.register("or.ders", "*", (e, d) -> { }))
                    .hasMessageStartingWith("channel 'or.ders' contains '.'");
            assertThatThrownBy(() -> channels.publish("orders", "created.express", 1))
                    .hasMessageStartingWith("event 'created.express' contains '.'");
        }

        @Test
        void emptyNamesAndPatternsAreRejected() {
            assertThatThrownBy(() -> Channels.create(hub, ""))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("namespace is empty");
            assertThatThrownBy(() -> channels.publish("", "created", 1)).hasMessageStartingWith("channel is empty");
            assertThatThrownBy(() -> channels.publish("orders", "", 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("event is empty");
            assertThatThrownBy(() -> channels.register("orders", "", (e, d) -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("event pattern is empty");
            assertThatThrownBy(() -> channels.channels("")).hasMessageStartingWith("channel pattern is empty");
        }

        @Test
        void aWildcardIsRejectedWhereALiteralNameIsExpected() {
            assertThatThrownBy(() -> channels.publish("orders", "cre*", 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("event 'cre*' contains '*', the wildcard of event patterns; expected a literal name");
            assertThatThrownBy(() -> channels.register("*", "created", (e, d) -> { }))
                    .hasMessageStartingWith("channel '*' contains '*'");
        }

        @Test
        void aDotInAnEventPatternIsRejectedRatherThanTakenAsARegexWildcard() {
            assertThatThrownBy(() -> channels.register("orders", "a.b", (e, d) -> { }))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("event pattern 'a.b' contains '.'")
                    .hasMessageContaining("not a regex wildcard");
        }

        @Test
        void nullDataIsRejectedWithTheEventNamed() {
            assertThatThrownBy(() -> channels.publish("orders", "created", null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("data of event 'created' on channel 'orders' is null: expected a non-null payload");
        }
    }

    @Nested
    class EventPatterns {

        /** Pattern, events it must match, events it must not match (none of them contains '.' or '*'). */
        static Stream<Arguments> patterns() {
            return Stream.of(
                    Arguments.of("a+b", List.of("a+b"), List.of("ab", "aab", "aaab")),
                    Arguments.of("(x)", List.of("(x)"), List.of("x", "()")),
                    Arguments.of("[abc]", List.of("[abc]"), List.of("a", "b", "c")),
                    Arguments.of("\\d", List.of("\\d"), List.of("1", "d", "\\1")),
                    Arguments.of("^a$", List.of("^a$"), List.of("a", "^a", "a$")),
                    Arguments.of("a?b|c", List.of("a?b|c"), List.of("ab", "b", "c", "a?b")),
                    Arguments.of("\\", List.of("\\"), List.of("\\\\", "x")),
                    Arguments.of("*", List.of("x", "a+b", "\\d", "(x)", "[abc]"), List.of()),
                    Arguments.of("pre*", List.of("pre", "prefix", "pre+"), List.of("xpre", "pr", "Pre")),
                    Arguments.of("*post", List.of("post", "pre-post", "(post"), List.of("posts", "pos", "xpost!")),
                    Arguments.of("a*b*c", List.of("abc", "aXbYc", "abbc", "abcbc", "a(b)c"),
                            List.of("acb", "ab", "bc", "xabc", "abcx")),
                    Arguments.of("ab*ba", List.of("abba", "abXba"), List.of("aba", "ab", "ba")),
                    Arguments.of("a**b", List.of("ab", "aXb"), List.of("ba", "a")),
                    Arguments.of("[a-z]*(\\w+)", List.of("[a-z](\\w+)", "[a-z]x(\\w+)"), List.of("q(w)", "qw")));
        }

        @ParameterizedTest(name = "''{0}''")
        @MethodSource("patterns")
        void registrationsReceiveExactlyTheEventsTheirPatternMatches(String pattern, List<String> matching,
                List<String> notMatching) {
            List<String> received = new CopyOnWriteArrayList<>();
            channels.register("c", pattern, (event, data) -> received.add(event));

            List<String> all = new ArrayList<>(notMatching);
            all.addAll(matching);
            for (String event : all) {
                channels.publish("c", event, event);
            }

            assertThat(received).containsExactlyElementsOf(matching);
        }

        @ParameterizedTest(name = "''{0}''")
        @MethodSource("patterns")
        void globMatchesLiterallyExceptStar(String pattern, List<String> matching, List<String> notMatching) {
            Glob glob = Glob.of(pattern);
            assertThat(matching).allSatisfy(e -> assertThat(glob.matches(e)).as("'%s' matches '%s'", pattern, e)
                    .isTrue());
            assertThat(notMatching).allSatisfy(e -> assertThat(glob.matches(e)).as("'%s' rejects '%s'", pattern, e)
                    .isFalse());
        }

        @Test
        void aDotInAGlobIsLiteral() {
            Glob glob = Glob.of("a.b");
            assertThat(glob.isLiteral()).isTrue();
            assertThat(glob.matches("a.b")).isTrue();
            assertThat(glob.matches("axb")).isFalse();
            assertThat(Glob.of("*").matches("")).as("'*' matches no characters too").isTrue();
            assertThat(Glob.of("").matches("")).isTrue();
            assertThat(Glob.of("").matches("x")).isFalse();
        }
    }
}
