package io.github.reactivepubsub.samples.web.market;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.samples.web.rtg.MarketData;
import io.github.reactivepubsub.samples.web.rtg.RtgCodec;
import java.util.concurrent.atomic.AtomicLong;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A {@link MarketFeed} without a shared-memory file in between: each datagram is decoded and published to the hub on
 * the writing thread. For runs where the feed file is not wanted (and as the reference the file-backed feed must
 * behave like).
 */
public final class DirectMarketFeed implements MarketFeed {

    private static final Logger LOG = Loggers.getLogger(DirectMarketFeed.class);

    private final Hub hub;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /** @param hub where the decoded messages are published (not closed by this feed) */
    public DirectMarketFeed(Hub hub) {
        this.hub = hub;
    }

    @Override
    public void write(byte[] datagram) {
        written.incrementAndGet();
        MarketData message;
        try {
            message = RtgCodec.decode(datagram);
        } catch (RuntimeException e) {
            LOG.warn("market feed: skipped a datagram of " + datagram.length + " bytes (" + rejected.incrementAndGet()
                    + " so far)", e);
            return;
        }
        hub.publish(MarketTopics.keyOf(message), message);
    }

    @Override
    public String transport() {
        return "direct (no shared-memory file)";
    }

    @Override
    public long written() {
        return written.get();
    }

    @Override
    public long rejected() {
        return rejected.get();
    }

    @Override
    public void close() {
        // nothing held: the hub belongs to the caller
    }

    @Override
    public String toString() {
        return "DirectMarketFeed[written=" + written + ", rejected=" + rejected + "]";
    }
}
