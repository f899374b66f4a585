package io.github.reactivepubsub.tcp.soup;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link Authenticator} decided about a login: accept, or reject with a {@link RejectReason}. Immutable.
 */
public final class LoginDecision {

    private static final LoginDecision ACCEPT = new LoginDecision(null);
    private static final LoginDecision NOT_AUTHORIZED = new LoginDecision(RejectReason.NOT_AUTHORIZED);
    private static final LoginDecision SESSION_NOT_AVAILABLE = new LoginDecision(RejectReason.SESSION_NOT_AVAILABLE);

    private final @Nullable RejectReason rejectReason;

    private LoginDecision(@Nullable RejectReason rejectReason) {
        this.rejectReason = rejectReason;
    }

    /** @return the decision to accept the login (the server then replies {@code A}) */
    public static LoginDecision accept() {
        return ACCEPT;
    }

    /**
     * @param reason why the login is rejected
     * @return the decision to reply {@code J} with {@code reason} and close the connection
     */
    public static LoginDecision reject(RejectReason reason) {
        Objects.requireNonNull(reason, "reason");
        return reason == RejectReason.NOT_AUTHORIZED ? NOT_AUTHORIZED : SESSION_NOT_AVAILABLE;
    }

    /** @return whether the login is accepted */
    public boolean isAccepted() {
        return rejectReason == null;
    }

    /** @return why the login is rejected, or {@code null} when it is accepted */
    public @Nullable RejectReason rejectReason() {
        return rejectReason;
    }

    @Override
    public String toString() {
        return rejectReason == null ? "LoginDecision[accept]" : "LoginDecision[reject " + rejectReason + "]";
    }
}
