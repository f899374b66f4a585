package io.github.reactivepubsub.tcp.soup;

import org.jspecify.annotations.Nullable;

/** Why a SoupBinTCP server rejected a login: the reason code of a Login Rejected ({@code J}) packet. */
public enum RejectReason {
    /** Code {@code A}: the username / password pair was not accepted. */
    NOT_AUTHORIZED('A'),
    /** Code {@code S}: the requested session is unknown or not available (including its requested range). */
    SESSION_NOT_AVAILABLE('S');

    private final char code;

    RejectReason(char code) {
        this.code = code;
    }

    /** @return the one-character reason code on the wire */
    public char code() {
        return code;
    }

    static @Nullable RejectReason ofCode(byte code) {
        for (RejectReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
