package dev.linkwell.simulator;

import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.time.Scheduler;
import java.util.concurrent.Executor;

/**
 * What every connection of one simulator shares: its settings and clock, the virtual threads its mailboxes
 * run on, the accounts, the recorder, the other connections, the ack books, the dispatcher, the server's
 * Noise identity, what phones send linked devices and what they received from them.
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
        PhoneInbox inbox,
        KeyPair serverStatic,
        byte[] certChain,
        PhoneSender phoneSender) {}
