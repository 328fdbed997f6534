package dev.linkwell.simulator;

import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.time.Scheduler;
import java.util.concurrent.Executor;

/**
 * What every connection of one simulator shares: its settings and clock, the virtual threads its mailboxes
 * run on, the accounts, the recorder, the other connections, the ack books, the dispatcher, what the phones
 * received and the server's Noise identity.
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
        byte[] certChain) {}
