package io.github.reactivepubsub.tcp.soup;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.session.IdleTimeoutException;
import io.github.reactivepubsub.session.SessionStats.CloseReason;
import org.junit.jupiter.api.Test;

/** The rules of {@link SoupStats} that a server of ours never triggers (gaps) or that need no socket. */
class SoupStatsTest {

    private final SoupStats stats = new SoupStats(() -> 42);

    @Test
    void aLoginAcceptedLaterThanRequestedIsAGap() {
        stats.loginAccepted(10, 10);
        stats.loginAccepted(0, 25);
        stats.loginAccepted(10, 25);

        assertThat(stats.loginsAccepted()).isEqualTo(3);
        assertThat(stats.gaps()).isEqualTo(1);
        assertThat(stats.messagesSkipped()).isEqualTo(15);
        assertThat(stats.sequence()).isEqualTo(42);
    }

    @Test
    void heartbeatsSentAndMissedAreCountedWithThePackets() {
        stats.sent(SoupPacket.ServerHeartbeat.INSTANCE, 3);
        stats.sent(SoupPacket.EndOfSession.INSTANCE, 3);
        stats.closed(new IdleTimeoutException("silent"));

        assertThat(stats.connections().framesOut()).isEqualTo(2);
        assertThat(stats.connections().bytesOut()).isEqualTo(6);
        assertThat(stats.connections().heartbeatsSent()).isEqualTo(1);
        assertThat(stats.connections().heartbeatsMissed()).isEqualTo(1);
        assertThat(stats.connections().closes(CloseReason.TIMEOUT)).isEqualTo(1);
    }
}
