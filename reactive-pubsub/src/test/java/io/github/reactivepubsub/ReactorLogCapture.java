package io.github.reactivepubsub;

import org.junit.jupiter.api.extension.Extension;
import reactor.test.util.LoggerUtils;

/**
 * Makes Reactor loggers capturable with {@link LoggerUtils#enableCaptureWith} in this module's tests: the capturing
 * factory must be installed before the first logger is created, so this extension is registered through
 * {@code META-INF/services} and installs it when the engine starts. Nothing is captured until a test asks.
 */
public final class ReactorLogCapture implements Extension {

    static {
        LoggerUtils.useCurrentLoggersWithCapture();
    }
}
