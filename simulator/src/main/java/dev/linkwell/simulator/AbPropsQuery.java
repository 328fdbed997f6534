package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;

/**
 * {@code <iq xmlns="abt" type="get"><props protocol="1" [hash]/></iq>}: the server's A/B experiment settings.
 * Answered {@code <iq type="result"><props protocol="1"/></iq>}: the answer's shape is
 * {@code <props protocol ab_key hash refresh refresh_id><prop config_code config_value/>..</props>}
 * (whatsapp-rust wacore/src/iq/props.rs @1489b7da; Baileys 7.0.0-rc14 lib/Socket/chats.js fetchProps reads
 * {@code hash} if present and each {@code prop}'s {@code config_code}/{@code config_value}), and every
 * attribute but {@code protocol} is optional to both readers. The simulator runs no experiments, so its set
 * is empty and it sends no hash: clients then keep their defaults for every prop.
 */
final class AbPropsQuery implements AccountQuery {

    @Override
    public boolean handles(Node iq) {
        return AccountQuery.is(iq, "abt", "get", "props");
    }

    @Override
    public Node answer(Node iq, String deviceJid) {
        return Nodes.result(iq, Nodes.node("props", "protocol", "1"));
    }
}
