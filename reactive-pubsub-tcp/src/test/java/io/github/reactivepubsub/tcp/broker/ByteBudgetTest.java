package io.github.reactivepubsub.tcp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The broker's nested byte bounds: a reservation fits everywhere or nowhere, a close hands what its budget holds back
 * to the parent once, and no interleaving of reservations, releases and a close leaves the parent holding bytes that
 * nobody holds (or fewer than somebody holds).
 */
class ByteBudgetTest {

    private final ByteBudget broker = new ByteBudget("broker", 1_000, null);
    private final ByteBudget connection = new ByteBudget("connection", 600, broker);

    @Test
    void aReservationHoldsBytesInTheBudgetAndEveryParentUntilReleased() {
        assertThat(connection.tryReserve(400)).isNull();
        assertThat(connection.used()).isEqualTo(400);
        assertThat(broker.used()).isEqualTo(400);

        connection.release(400);

        assertThat(connection.used()).isZero();
        assertThat(broker.used()).isZero();
    }

    @Test
    void aReservationThatDoesNotFitHoldsNothingAndNamesTheFullBudget() {
        assertThat(connection.tryReserve(601)).as("over the connection's own limit").isSameAs(connection);
        assertThat(broker.used()).isZero();
        ByteBudget other = new ByteBudget("other connection", 1_000, broker);
        assertThat(other.tryReserve(700)).isNull();

        assertThat(connection.tryReserve(400)).as("the broker has 300 left").isSameAs(broker);

        assertThat(connection.used()).isZero();
        assertThat(broker.used()).isEqualTo(700);
        assertThat(connection.tryReserve(300)).as("exactly what is left").isNull();
    }

    @Test
    void aCloseReturnsWhatItHeldToTheParentOnceAndRefusesLaterReservations() {
        assertThat(connection.tryReserve(250)).isNull();

        connection.close();
        connection.close();

        assertThat(broker.used()).isZero();
        assertThat(connection.used()).isZero();
        connection.release(250); // a frame discarded after the close
        assertThat(broker.used()).as("not returned twice").isZero();
        assertThat(connection.tryReserve(1)).isSameAs(connection);
        assertThat(broker.used()).isZero();
    }

    /**
     * Three threads reserve and release on one connection (some reservations refused at its limit, some at the
     * broker's) while a fourth closes it; another connection keeps a reservation throughout. Whatever the
     * interleaving, the broker ends up holding exactly that other connection's bytes.
     */
    @RepeatedTest(20)
    void racingReservationsReleasesAndACloseLeaveTheParentExact() throws InterruptedException {
        ByteBudget steady = new ByteBudget("steady", 1_000, broker);
        assertThat(steady.tryReserve(350)).isNull(); // 650 left: the broker refuses some reservations too
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(4);
        for (int t = 0; t < 3; t++) {
            new Thread(() -> {
                await(start);
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 20_000; i++) {
                    long bytes = 1 + random.nextInt(250);
                    if (connection.tryReserve(bytes) == null) {
                        connection.release(bytes);
                    }
                }
                done.countDown();
            }).start();
        }
        new Thread(() -> {
            await(start);
            for (int i = 0; i < 1_000; i++) {
                Thread.onSpinWait();
            }
            connection.close();
            done.countDown();
        }).start();
        start.countDown();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(broker.used()).isEqualTo(350);
        assertThat(connection.used()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
