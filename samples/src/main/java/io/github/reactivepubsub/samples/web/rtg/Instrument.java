package io.github.reactivepubsub.samples.web.rtg;

import io.github.reactivepubsub.ProtocolException;

/** Ready Trader Go's two instruments, with their wire ids (the {@code instrument} byte of market-data messages). */
public enum Instrument {
    /** The future, wire id 0. */
    FUTURE,
    /** The ETF tracking it, wire id 1. */
    ETF;

    /** @return the wire id: the enum's ordinal, 0 or 1 */
    public int wireId() {
        return ordinal();
    }

    /**
     * @param id a wire id
     * @param offset where the id was read, for the error
     * @return the instrument
     * @throws ProtocolException when the id is neither 0 nor 1
     */
    static Instrument fromWireId(int id, int offset) {
        if (id == 0) {
            return FUTURE;
        }
        if (id == 1) {
            return ETF;
        }
        throw new ProtocolException(offset, "unknown instrument " + id + ": expected 0 (FUTURE) or 1 (ETF)");
    }
}
