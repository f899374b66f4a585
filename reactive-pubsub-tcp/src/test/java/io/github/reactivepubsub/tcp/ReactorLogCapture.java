package io.github.reactivepubsub.tcp;

import org.junit.jupiter.api.extension.Extension;
import reactor.test.util.LoggerUtils;

/**
 * Makes the log lines of this module's Reactor loggers capturable with {@link LoggerUtils#enableCaptureWith}: the
 * capturing logger factory must be installed before the first logger is created, so this extension is registered
 * for every test through {@code META-INF/services} and installs it in its static initializer, when the engine starts.
 * Nothing is captured until a test enables capture.
 */
public final class ReactorLogCapture implements Extension {

    static {
        LoggerUtils.useCurrentLoggersWithCapture();
    }
}
