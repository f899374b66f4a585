package io.github.reactivepubsub.mmap;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The publisher process of {@link CrossProcessIT}: creates a NATIVE feed, prints {@code READY}, waits for
 * {@code GO} on standard input, publishes {@code count} numbered, checksummed messages as fast as it can, closes
 * the feed and prints {@code DONE}.
 *
 * <p>Message {@code n}: {@code [n: i64][filler: (n % 25) bytes][crc32 of the preceding bytes: i64]}, big-endian.
 */
public final class CrossProcessWriter {

    private CrossProcessWriter() {}

    static byte[] message(long n) {
        int filler = (int) (n % 25);
        ByteBuffer buf = ByteBuffer.allocate(16 + filler);
        buf.putLong(n);
        for (int i = 0; i < filler; i++) {
            buf.put((byte) (n * 31 + i));
        }
        buf.putLong(crc(buf.array(), 8 + filler));
        return buf.array();
    }

    static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    /** @return the message's number, or {@code -1} when its length or checksum is wrong (torn or corrupt) */
    static long check(byte[] bytes) {
        if (bytes.length < 16) {
            return -1;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long n = buf.getLong(0);
        boolean ok = n > 0 && bytes.length == 16 + n % 25
                && buf.getLong(bytes.length - 8) == crc(bytes, bytes.length - 8);
        return ok ? n : -1;
    }

    /** @param args path, count, capacity */
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        long count = Long.parseLong(args[1]);
        int capacity = Integer.parseInt(args[2]);
        try (MmapPublisher publisher = MmapPublisher.create(path,
                PublisherOptions.of(Layout.NATIVE).capacity(capacity))) {
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            if (!"GO".equals(in.readLine())) {
                throw new IllegalStateException("expected GO on standard input");
            }
            for (long n = 1; n <= count; n++) {
                publisher.publish(message(n));
            }
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
