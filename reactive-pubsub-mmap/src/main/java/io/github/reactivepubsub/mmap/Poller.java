package io.github.reactivepubsub.mmap;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * One daemon thread per feed file, shared by every {@link MmapSubscriber} of that file in this JVM. It polls each
 * subscriber's reader in turn and idles with the strategy of the subscriber that started it. It is a plain
 * thread, never a Reactor {@code NonBlocking} one, so its idle strategy may park and its file checks may block.
 * The thread ends when its last subscriber leaves; a later subscriber starts a new one.
 */
final class Poller implements Runnable {

    private static final Logger LOG = Loggers.getLogger(Poller.class);
    private static final Map<String, Poller> POLLERS = new HashMap<>(); // guarded by itself
    private static final MmapSubscriber[] EMPTY = new MmapSubscriber[0];

    private final String file;
    private final IdleStrategy idle;
    private final Thread thread;
    private volatile MmapSubscriber[] subscribers = EMPTY; // copy-on-write under POLLERS
    private volatile boolean running = true;               // set false only under POLLERS, with the map entry removed

    private Poller(String file, IdleStrategy idle) {
        this.file = file;
        this.idle = idle;
        this.thread = new Thread(this, "mmap-poller-" + file);
        this.thread.setDaemon(true);
    }

    /** Adds {@code subscriber} to the poller of {@code file}, starting one if there is none. */
    static Poller attach(String file, MmapSubscriber subscriber, IdleStrategy idle) {
        synchronized (POLLERS) {
            Poller poller = POLLERS.get(file);
            boolean start = poller == null;
            if (start) {
                poller = new Poller(file, idle);
                POLLERS.put(file, poller);
            }
            MmapSubscriber[] current = poller.subscribers;
            MmapSubscriber[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = subscriber;
            poller.subscribers = next;
            if (start) {
                poller.thread.start();
            }
            return poller;
        }
    }

    /** @return the number of poller threads running in this JVM (for tests and diagnostics) */
    static int running() {
        synchronized (POLLERS) {
            return POLLERS.size();
        }
    }

    /** @return the poller thread */
    Thread thread() {
        return thread;
    }

    /** Wakes the thread from a park, e.g. to act on a close at once. Any thread. */
    void wake() {
        LockSupport.unpark(thread);
    }

    private void detach(MmapSubscriber subscriber) {
        synchronized (POLLERS) {
            MmapSubscriber[] current = subscribers;
            MmapSubscriber[] next = Arrays.stream(current).filter(s -> s != subscriber).toArray(MmapSubscriber[]::new);
            subscribers = next;
            if (next.length == 0) {
                running = false;
                POLLERS.remove(file, this);
            }
        }
    }

    @Override
    public void run() {
        IdleStrategy.Idler idler = idle.newIdler();
        while (running) {
            int work = 0;
            long now = System.nanoTime();
            for (MmapSubscriber subscriber : subscribers) {
                int done;
                try {
                    done = subscriber.pollOnce(now);
                } catch (RuntimeException | Error e) {
                    LOG.error("mmap poller for " + file + " failed on " + subscriber, e);
                    done = -1;
                }
                if (done < 0) {
                    detach(subscriber);
                    work++;
                } else {
                    work += done;
                }
            }
            idler.idle(work);
        }
    }
}
