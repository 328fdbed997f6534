package dev.linkwell.service.engine.baileys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

    private static List<String> lines(InputStream in, int max, List<Long> oversized) throws IOException {
        BoundedLineReader reader = new BoundedLineReader(in, max);
        List<String> out = new ArrayList<>();
        String line;
        while ((line = reader.next(oversized::add)) != null) {
            out.add(line);
        }
        return out;
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void splitsLinesKeepsUtf8AndTheLastLineWithoutTerminator() throws IOException {
        List<Long> oversized = new ArrayList<>();
        assertThat(lines(bytes("a\n\nolá ✓\nlast"), 100, oversized)).containsExactly("a", "", "olá ✓", "last");
        assertThat(oversized).isEmpty();
    }

    @Test
    void skipsALineLongerThanTheLimitAndGoesOn() throws IOException {
        List<Long> oversized = new ArrayList<>();
        String big = "x".repeat(100_000); // spans several reads
        assertThat(lines(bytes("before\n" + big + "\nafter\n" + "y".repeat(11)), 10, oversized))
                .containsExactly("before", "after");
        assertThat(oversized).containsExactly(100_000L, 11L);
    }

    @Test
    void aLineOfExactlyTheLimitPasses() throws IOException {
        List<Long> oversized = new ArrayList<>();
        assertThat(lines(bytes("0123456789\n01234567890\n"), 10, oversized)).containsExactly("0123456789");
        assertThat(oversized).containsExactly(11L);
    }

    /** Bytes trickling in one at a time, as a pipe may deliver them. */
    @Test
    void readsLinesThatArriveByteByByte() throws IOException {
        byte[] data = "one\ntwo\n".getBytes(StandardCharsets.UTF_8);
        InputStream slow = new InputStream() {
            int i;

            @Override
            public int read() {
                return i < data.length ? data[i++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= data.length) {
                    return -1;
                }
                b[off] = data[i++];
                return 1;
            }
        };
        assertThat(lines(slow, 10, new ArrayList<>())).containsExactly("one", "two");
    }
}
