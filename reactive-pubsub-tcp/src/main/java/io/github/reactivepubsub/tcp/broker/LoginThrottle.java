package io.github.reactivepubsub.tcp.broker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/**
 * Failed logins per source address ({@link PubSubServerOptions#loginThrottle}): a count per address in fixed windows
 * of the scheduler's clock, for at most {@value #MAX_ADDRESSES} addresses (the one that failed least recently is
 * forgotten first). Thread-safe: one monitor, held for a map lookup.
 */
final class LoginThrottle {

    /** The most addresses tracked at once. */
    static final int MAX_ADDRESSES = 4_096;

    private final int maxFailures;
    private final long windowMillis;
    private final Scheduler clock;
    private final Map<String, long[]> failures = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    LoginThrottle(PubSubServerOptions options) {
        this.maxFailures = options.maxLoginFailures();
        this.windowMillis = options.loginFailureWindow().toMillis();
        this.clock = options.scheduler();
    }

    /** @return whether {@code address} may try to log in now (it has not used up its failures of this window) */
    synchronized boolean allows(String address) {
        long[] entry = failures.get(address);
        return entry == null || expired(entry) || entry[1] < maxFailures;
    }

    /** Counts a failed login of {@code address}. */
    synchronized void failed(String address) {
        long[] entry = failures.get(address);
        if (entry == null || expired(entry)) {
            failures.put(address, new long[] {clock.now(TimeUnit.MILLISECONDS), 1});
        } else {
            entry[1]++;
        }
    }

    /** @return how many addresses are tracked (tests) */
    synchronized int addresses() {
        return failures.size();
    }

    private boolean expired(long[] entry) {
        return clock.now(TimeUnit.MILLISECONDS) - entry[0] >= windowMillis;
    }
}
