package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.pair.CompanionPlatform;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.stanza.LinkCode;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * Pairing by code, server side (whatsmeow 33cfac5 pair-code.go; Baileys Socket/socket.js requestPairingCode and
 * Socket/messages-recv.js 'link_code_companion_reg'): companion_hello is checked (number, wrapped key, the
 * noise key it names, and the platform the real server checks, else 400) and answered with a pairing ref;
 * the phone's user types the code ({@link #enterCode}: the phone unwraps the companion's key and sends its own
 * in a notification); companion_finish carries the key bundle the phone opens, and then pair-success follows
 * ({@link PairSuccessFlow}). A wrong code fails at companion_finish.
 */
final class CodePairingFlow {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A code request in progress: set by companion_hello, filled in when the phone types the code. */
    private static final class Pending {
        final String ref;
        final String number;
        final byte[] wrappedCompanionEphemeral;
        Phone phone;
        Phone.CodeEntry entry;
        CompletableFuture<LinkedDevice> linked;

        Pending(String ref, String number, byte[] wrapped) {
            this.ref = ref;
            this.number = number;
            this.wrappedCompanionEphemeral = wrapped;
        }
    }

    private final ServerConnection conn;
    private Pending pending;

    CodePairingFlow(ServerConnection conn) {
        this.conn = conn;
    }

    void register(NodeRouter router) {
        router.on("iq").type(Iq.SET).xmlns("md").child(LinkCode.TAG).to(this::onLinkCode);
    }

    private void onLinkCode(Node iq) {
        ServerConnection.Stage stage = conn.stage();
        Node reg = iq.child(LinkCode.TAG);
        if (stage != ServerConnection.Stage.PAIRING && stage != ServerConnection.Stage.PAIR_SENT) {
            conn.send(Iq.serverError(iq, 400, "bad-request"));
            return;
        }
        switch (reg.attrOr("stage", "")) {
            case LinkCode.HELLO -> onHello(iq, LinkCode.Hello.from(iq.attr("id"), reg));
            case LinkCode.FINISH -> onFinish(iq, LinkCode.Finish.from(iq.attr("id"), reg));
            default -> conn.send(Iq.serverError(iq, 400, "bad-request"));
        }
    }

    private void onHello(Node iq, LinkCode.Hello hello) {
        String number = hello.phoneJid().contains("@")
                ? hello.phoneJid().substring(0, hello.phoneJid().indexOf('@'))
                : hello.phoneJid();
        if (number.contains(":")) {
            number = number.substring(0, number.indexOf(':'));
        }
        byte[] wrapped = hello.wrappedEphemeral();
        if (wrapped == null
                || wrapped.length != 80
                || !number.matches("\\d{7,15}")
                || hello.noiseKey() != null && !Arrays.equals(hello.noiseKey(), conn.clientStaticKey())) {
            conn.send(Iq.serverError(iq, 400, "bad-request"));
            return;
        }
        // the server checks the platform it is told about (whatsmeow PairPhone doc: 400 when the display is
        // not "<Browser> (<OS>)" with a common browser and OS; see CompanionPlatform for the sources)
        String problem = hello.platformId() == null || !CompanionPlatform.isKnownClientTypeId(hello.platformId())
                ? "unknown companion_platform_id "
                        + (hello.platformId() == null ? "(none)" : "\"" + hello.platformId() + "\"")
                : CompanionPlatform.problemWithDisplay(hello.platformDisplay()).orElse(null);
        if (problem != null) {
            conn.event(new SimulatorEvent.LinkCodeRefused(conn.origin(), problem));
            conn.send(Iq.serverError(iq, 400, "bad-request"));
            return;
        }
        if (pending != null && pending.linked != null) {
            // a phone is part-way through entering the old code; it would otherwise wait out the pairing timeout
            pending.linked.completeExceptionally(
                    SimulatorException.conflict("the companion asked for a new pairing code"));
        }
        byte[] refBytes = new byte[24];
        RANDOM.nextBytes(refBytes);
        pending = new Pending("2@" + Base64.getEncoder().withoutPadding().encodeToString(refBytes), number, wrapped);
        conn.server().connections().waitForCode(number, conn);
        conn.send(LinkCode.Hello.answer(iq, pending.ref));
        String display = hello.platformDisplay() == null ? "" : hello.platformDisplay();
        conn.event(new SimulatorEvent.LinkCodeRequested(conn.origin(), number, display));
    }

    /**
     * The phone's user typed {@code code}: the phone unwraps the companion's ephemeral key, wraps its own and the
     * server sends {@code <notification type="link_code_companion_reg">}. Runs in the connection's mailbox.
     */
    CompletableFuture<LinkedDevice> enterCode(Phone phone, String code) {
        if (conn.stage() != ServerConnection.Stage.PAIRING
                || pending == null
                || !pending.number.equals(phone.number())
                || pending.linked != null) {
            throw SimulatorException.conflict("no companion is waiting for a pairing code for " + phone.number());
        }
        pending.phone = phone;
        pending.entry = phone.typeCode(code, pending.wrappedCompanionEphemeral);
        pending.linked = new CompletableFuture<>();
        conn.server().connections().codeTaken(pending.number, conn);
        conn.send(new LinkCode.PrimaryHello(
                        pending.ref, phone.accountPublicKey(), pending.entry.wrappedPrimaryEphemeral())
                .toNode(conn.nextId(), conn.now().getEpochSecond()));
        return pending.linked;
    }

    private void onFinish(Node iq, LinkCode.Finish finish) {
        Pending p = pending;
        if (p == null
                || p.linked == null
                || finish.wrappedKeyBundle() == null
                || finish.companionIdentity() == null
                || !p.ref.equals(finish.ref())) {
            conn.send(Iq.serverError(iq, 400, "bad-request"));
            return;
        }
        byte[] advSecret;
        try {
            advSecret = p.phone.openKeyBundle(p.entry, finish.wrappedKeyBundle(), finish.companionIdentity());
        } catch (SimulatorException e) {
            conn.send(Iq.serverError(iq, 400, "bad-request"));
            pending = null;
            p.linked.completeExceptionally(e);
            conn.event(new SimulatorEvent.LinkCodeFailed(conn.origin(), e.getMessage()));
            return;
        }
        conn.send(Iq.serverResult(iq));
        pending = null;
        conn.pairSuccess
                .send(p.phone, finish.companionIdentity(), advSecret, "code")
                .whenComplete((device, failure) -> {
                    if (failure != null) {
                        p.linked.completeExceptionally(failure);
                    } else {
                        p.linked.complete(device);
                    }
                });
    }

    /** The companion went away: a phone typing its code must not wait for the timeout. */
    void connectionClosed() {
        if (pending != null && pending.linked != null) {
            pending.linked.completeExceptionally(
                    SimulatorException.conflict("the companion disconnected during pairing"));
        }
        pending = null;
    }
}
