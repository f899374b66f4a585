package io.github.reactivepubsub.mmap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helpers for byte vectors and polling. */
final class Bytes {

    private Bytes() {}

    /** @return the bytes of a hex dump ("0000: 01 02 ..." lines or plain hex; offsets and spaces ignored) */
    static byte[] hex(String dump) {
        String digits = dump.replaceAll("(?m)^[0-9a-fA-F]{4}:", "").replaceAll("\\s", "");
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static byte[] read(Path path, int offset, int length) throws IOException {
        byte[] all = Files.readAllBytes(path);
        byte[] out = new byte[length];
        System.arraycopy(all, offset, out, 0, length);
        return out;
    }

    /** A handler that keeps everything it is given. */
    static final class Collector implements FeedReader.Handler {
        final List<Datagram> datagrams = new ArrayList<>();
        final List<FeedEvent> events = new ArrayList<>();

        @Override
        public void onDatagram(Datagram datagram) {
            datagrams.add(datagram);
        }

        @Override
        public void onEvent(FeedEvent event) {
            events.add(event);
        }

        /** @return the first payload byte of each datagram, as ints */
        List<Integer> firstBytes() {
            List<Integer> out = new ArrayList<>();
            for (Datagram d : datagrams) {
                out.add(d.payload().get(0) & 0xFF);
            }
            return out;
        }

        Collector drain(FeedReader reader) {
            while (reader.poll(this, 1000) > 0) {
                // until nothing is new
            }
            return this;
        }
    }
}
