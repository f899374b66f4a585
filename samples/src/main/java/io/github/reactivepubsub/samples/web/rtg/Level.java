package io.github.reactivepubsub.samples.web.rtg;

/**
 * One price level: for an order book the resting volume at a price, for trade ticks the volume traded at a price.
 *
 * @param price integer cents (150000 = 1500.00), 1 to 2<sup>32</sup>-1
 * @param volume lots, 0 to 2<sup>32</sup>-1
 */
public record Level(long price, long volume) {

    /**
     * @throws IllegalArgumentException when the price is not positive or a value does not fit in a u32
     */
    public Level {
        if (price <= 0 || price > RtgCodec.U32_MAX) {
            throw new IllegalArgumentException("price must be 1.." + RtgCodec.U32_MAX + " cents, got " + price);
        }
        if (volume < 0 || volume > RtgCodec.U32_MAX) {
            throw new IllegalArgumentException("volume must be 0.." + RtgCodec.U32_MAX + " lots, got " + volume);
        }
    }
}
