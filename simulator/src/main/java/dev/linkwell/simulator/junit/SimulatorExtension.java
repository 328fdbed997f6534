package dev.linkwell.simulator.junit;

import dev.linkwell.protocol.time.ManualScheduler;
import dev.linkwell.simulator.SimulatorConfig;
import dev.linkwell.simulator.WaSimulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test a started {@link WaSimulator} and closes it afterwards, as OkHttp's MockWebServer rule does.
 *
 * <pre>{@code
 * @RegisterExtension
 * final SimulatorExtension simulator = SimulatorExtension.started(SimulatorConfig.defaults());
 *
 * @Test void pairs() { Phone phone = simulator.get().addPhone("5511999990001"); ... }
 * }</pre>
 *
 * {@link #onDemand()} starts nothing by itself: each test calls {@link #start} with its own configuration, or
 * {@link #startWithManualClock} to get a simulator whose time moves only through {@link #clock()} (QR windows,
 * idle limits, bans, the stream-end grace: no sleeping). Everything started during a test is closed after it.
 * Register it as an instance field (per test), not a static one.
 */
public final class SimulatorExtension implements BeforeEachCallback, AfterEachCallback {

    private final SimulatorConfig startWith;
    private final List<WaSimulator> started = new ArrayList<>();
    private WaSimulator current;
    private ManualScheduler clock;

    private SimulatorExtension(SimulatorConfig startWith) {
        this.startWith = startWith;
    }

    /** A simulator with this configuration is started before each test, on wall-clock time. */
    public static SimulatorExtension started(SimulatorConfig config) {
        return new SimulatorExtension(config);
    }

    /** Nothing is started before a test; it calls {@link #start} or {@link #startWithManualClock}. */
    public static SimulatorExtension onDemand() {
        return new SimulatorExtension(null);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (startWith != null) {
            start(startWith);
        }
    }

    /** Starts a simulator on wall-clock time; it becomes {@link #get()}. */
    public WaSimulator start(SimulatorConfig config) {
        clock = null;
        return remember(WaSimulator.start(config));
    }

    /**
     * Starts a simulator whose time moves only through {@link #clock()}; it becomes {@link #get()}. Give it a
     * zero {@link SimulatorConfig#postHandshakeDelay()} unless the test advances the clock past it.
     */
    public WaSimulator startWithManualClock(SimulatorConfig config) {
        clock = new ManualScheduler();
        return remember(WaSimulator.start(config, clock));
    }

    /** The simulator started last. */
    public WaSimulator get() {
        if (current == null) {
            throw new IllegalStateException("no simulator was started for this test");
        }
        return current;
    }

    /** The clock of the simulator started with {@link #startWithManualClock}. */
    public ManualScheduler clock() {
        if (clock == null) {
            throw new IllegalStateException("the simulator runs on wall-clock time; use startWithManualClock");
        }
        return clock;
    }

    /** Whether the last simulator started runs on a manual clock. */
    public boolean manualClock() {
        return clock != null;
    }

    private WaSimulator remember(WaSimulator sim) {
        started.add(sim);
        current = sim;
        return sim;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        RuntimeException failure = null;
        for (WaSimulator sim : started) {
            try {
                sim.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        started.clear();
        current = null;
        clock = null;
        if (failure != null) {
            throw failure;
        }
    }
}
