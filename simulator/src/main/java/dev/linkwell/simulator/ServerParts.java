package dev.linkwell.simulator;

import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.time.Scheduler;
import java.util.concurrent.Executor;

/**
 * What every connection of one simulator shares: its settings and clock, the virtual threads its mailboxes
 * run on, the accounts, the recorder, the other connections, the ack books, the dispatcher, the server's
 * Noise identity, and what phones send linked devices.
 */
record ServerParts(
        WaSimulator sim,
        SimulatorConfig config,
        Scheduler scheduler,
        Executor workers,
        Accounts accounts,
        Recorder recorder,
        Connections connections,
        AckTracker acks,
        Dispatcher dispatcher,
        AccountQueries queries,
        KeyPair serverStatic,
        byte[] certChain,
        PhoneSender phoneSender) {}
