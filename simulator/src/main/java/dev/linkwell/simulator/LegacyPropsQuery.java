package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;

/**
 * {@code <iq xmlns="w" type="get"><props protocol="2" hash/></iq>}, the server-props query Baileys 6.17.16 sends
 * at every {@code open} (lib/Socket/chats.js fetchProps). The real server refuses it: Baileys issue #2477
 * (2026-04-09) shows the answer {@code <iq type="error"><error code="400" text="bad-request"/></iq>} while
 * privacy and blocklist in the same batch succeed, and Baileys PR #2473 (commit 3451ade8c3) moved to the
 * {@code abt} query ({@link AbPropsQuery}) because of it. The simulator gives the same answer, so a stale
 * client sees the same logged "init queries" failure it would see against WhatsApp.
 */
final class LegacyPropsQuery implements AccountQuery {

    @Override
    public boolean handles(Node iq) {
        return AccountQuery.is(iq, "w", "get", "props");
    }

    @Override
    public Node answer(Node iq, String deviceJid) {
        return Nodes.error(iq, 400, "bad-request");
    }
}
