package io.github.reactivepubsub.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MmapSend writes what MmapTail prints, in both formats, and both reject bad command lines. */
class MmapToolsTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int send(String format, Path file, String input) {
        return MmapSend.run(new String[] {"--format", format, "--file", file.toString(), "--interval-us", "10"},
                new ByteArrayInputStream(input.getBytes(StandardCharsets.US_ASCII)),
                new PrintStream(err, true, StandardCharsets.US_ASCII));
    }

    private int tail(String... args) {
        return MmapTail.run(args, new PrintStream(out, true, StandardCharsets.US_ASCII),
                new PrintStream(err, true, StandardCharsets.US_ASCII));
    }

    @Test
    void rtgLinesSentAreTailedFromSlotZero() {
        Path file = dir.resolve("info.dat");
        assertThat(send("rtg", file, "0102\n\nABff\n00\n")).isZero();

        assertThat(tail("--format", "rtg", "--file", file.toString(), "--count", "3", "--timeout", "10")).isZero();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("0102\nabff\n00\n");
    }

    @Test
    void nativeLinesSentAreTailedFromTheStart() {
        Path file = dir.resolve("feed.dat");
        assertThat(send("native", file, "cafe\nbabe\n")).isZero();

        assertThat(tail("--format", "native", "--file", file.toString(), "--count", "2", "--from", "start"))
                .isZero();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("cafe\nbabe\n");
    }

    @Test
    void badInputAndUsageAreReported() {
        assertThat(send("rtg", dir.resolve("x.dat"), "01\nzz\n")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.US_ASCII)).contains("line 2: 'zz' is not hex");
        assertThat(tail("--format", "json", "--file", "x", "--count", "1")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.US_ASCII)).contains("--format is 'json'").contains(MmapTail.USAGE);
        assertThat(tail("--format", "rtg", "--file", dir.resolve("none").toString(), "--count", "1",
                "--timeout", "1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.US_ASCII)).contains("no feed file after waiting PT1S");
    }
}
