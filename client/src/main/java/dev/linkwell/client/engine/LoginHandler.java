package dev.linkwell.client.engine;

import dev.linkwell.client.EngineEvent;
import dev.linkwell.client.store.Credentials;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.conn.NodeRouter;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.stanza.Success;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <success>}: the login payload was accepted and the connection is open. As whatsmeow's
 * handleConnectSuccess does: keep the LID the server names, tell the server we are active
 * ({@code <iq xmlns="passive" type="set"><active/></iq>}), check the prekeys, then report {@code Opened}.
 * (What the server sends instead of {@code <success>}, a {@code <failure>}, is {@link StreamEndHandler}'s.)
 */
final class LoginHandler {

    private static final Logger log = LoggerFactory.getLogger(LoginHandler.class);

    private final Connection conn;
    private final PreKeyHandler preKeys;

    LoginHandler(Connection conn, PreKeyHandler preKeys) {
        this.conn = conn;
        this.preKeys = preKeys;
    }

    void register(NodeRouter router) {
        router.on(Success.TAG).to(this::onSuccess);
    }

    private void onSuccess(Node node) {
        String lid = Success.from(node).lid();
        Credentials creds = conn.creds();
        if (lid != null && !lid.equals(creds.lid())) {
            creds = creds.withLid(lid);
            conn.repository().save(creds);
            conn.creds(creds);
        }
        conn.lidMap().learn(Jid.tryParse(creds.lid()), Jid.tryParse(creds.me()));
        conn.state(WaClient.State.OPEN);
        log.info("logged in as {}", creds.me());
        conn.query(Iq.toServer(conn.nextId(), Iq.SET, "passive", Node.of("active")));
        preKeys.checkCount();
        conn.emit(new EngineEvent.Opened(creds.me()));
    }
}
