package dev.linkwell.service.engine.baileys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;

/**
 * Reads {@code \n}-terminated UTF-8 lines from a stream without ever holding more than {@code maxBytes} of one
 * line: a longer line is skipped up to its end and reported with its length. Not thread-safe; one reader thread.
 */
final class BoundedLineReader {

    private final InputStream in;
    private final int maxBytes;
    private final byte[] chunk = new byte[16 * 1024];
    private int position;
    private int limit;

    BoundedLineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /**
     * The next line without its terminator (a trailing {@code \r} is kept), or null at the end of the stream. A
     * last line without terminator counts as a line.
     *
     * @param oversized told the byte length of every line skipped for being longer than the limit
     */
    String next(LongConsumer oversized) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long skipped = -1; // >= 0 while skipping an oversized line
        while (true) {
            if (position == limit) {
                limit = in.read(chunk);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (skipped >= 0) {
                        oversized.accept(skipped);
                        return null;
                    }
                    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                }
            }
            int newline = -1;
            for (int i = position; i < limit; i++) {
                if (chunk[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int end = newline < 0 ? limit : newline;
            int length = end - position;
            if (skipped >= 0) {
                skipped += length;
            } else if (line.size() + (long) length > maxBytes) {
                skipped = line.size() + (long) length;
                line = new ByteArrayOutputStream();
            } else {
                line.write(chunk, position, length);
            }
            position = newline < 0 ? limit : newline + 1;
            if (newline >= 0) {
                if (skipped >= 0) {
                    oversized.accept(skipped);
                    skipped = -1;
                    continue;
                }
                return line.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
