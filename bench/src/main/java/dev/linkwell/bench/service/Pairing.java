package dev.linkwell.bench.service;

import dev.linkwell.bench.harness.Deadline;
import dev.linkwell.bench.harness.Parallel;
import dev.linkwell.bench.harness.SimulatorHandle;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Links new sessions as a user of the API does, in waves: for each session of a wave at once, a phone in the
 * simulator, {@code PUT /sessions/{id}} (timed until its answer carries the QR, or, when the service's start wait
 * ran out first, until the {@code session.qr} event), the phone scans that QR, and the session reports {@code open}
 * on the event stream; the next wave starts when the whole wave is open.
 */
final class Pairing {

    private static final Duration STEP = Duration.ofSeconds(120);

    private final SimulatorHandle sim;
    private final String engine;
    private final Deadline deadline;
    private final PrintStream out;
    private final AtomicInteger lateQr = new AtomicInteger();

    Pairing(SimulatorHandle sim, String engine, Deadline deadline, PrintStream out) {
        this.sim = sim;
        this.engine = engine;
        this.deadline = deadline;
        this.out = out;
    }

    /** PUTs that answered without a QR (the service's start wait ran out first); their QR came as an event. */
    int lateQr() {
        return lateQr.get();
    }

    static String sessionId(String engine, int i) {
        return String.format(Locale.ROOT, "%s-%05d", engine, i);
    }

    /** A phone number of its own for each session of each engine (both engines share one simulator). */
    private String number(int i) {
        int engineDigit = SideBySideOptions.ENGINES.indexOf(engine) + 1;
        return String.format(Locale.ROOT, "55%d%09d", engineDigit, i);
    }

    /**
     * Pairs sessions {@code from} to {@code to - 1}, {@code wave} at a time.
     *
     * @param putToQrNanos where the time from PUT to its answer with the QR goes, by session index (entries past
     *     its length are not kept)
     * @param devices where each session's device JID goes, by session index
     */
    void pair(
            ServiceProcess service,
            StatusStream events,
            int from,
            int to,
            int wave,
            long[] putToQrNanos,
            String[] devices)
            throws InterruptedException {
        int progressEvery = Math.max(wave, (to - from) / 5);
        for (int start = from; start < to; start += wave) {
            int end = Math.min(to, start + wave);
            Parallel.forEach(engine + " pair " + start + ".." + (end - 1), start, end, wave, deadline, quiet(), i -> {
                String id = sessionId(engine, i);
                String phone = sim.addPhone(number(i));
                long t0 = System.nanoTime();
                ServiceApi.Started started = service.api().put(id, engine);
                String qr = started.qr();
                if (qr == null) {
                    // the service's start wait ran out first: the QR comes on the event stream, as a client sees it
                    lateQr.incrementAndGet();
                    qr = events.qr(id).get(deadline.waitNanos(STEP), TimeUnit.NANOSECONDS);
                }
                long nanos = System.nanoTime() - t0;
                if (i < putToQrNanos.length) {
                    putToQrNanos[i] = nanos;
                }
                devices[i] = sim.scan(phone, qr);
                events.opened(id).get(deadline.waitNanos(STEP), TimeUnit.NANOSECONDS);
            });
            if (end == to || (end - from) / progressEvery != (start - from) / progressEvery) {
                out.println("  " + engine + ": " + end + " sessions paired and open");
            }
        }
    }

    /** Progress of one wave is not worth a line: {@link #pair} prints about five. */
    private static PrintStream quiet() {
        return new PrintStream(PrintStream.nullOutputStream());
    }
}
