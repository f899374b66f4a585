package io.github.reactivepubsub.samples;

/** Placeholder replaced by the trade demo once the hub lands. */
public final class TradeDemo {
    private TradeDemo() {}

    public static void main(String[] args) {
        System.out.println("hub demo coming");
    }
}
