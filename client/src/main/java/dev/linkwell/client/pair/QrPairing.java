package dev.linkwell.client.pair;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;

/**
 * QR refs of one {@code <pair-device>} offer and the text each QR encodes.
 *
 * <p>Facts (whatsmeow 33cfac5 pair.go handlePairDevice / makeQRData; Baileys 7.0.0-rc14
 * Utils/companion-reg-client-utils.js buildPairingQRData): the server sends {@code <iq type="set">
 * <pair-device><ref>..</ref>...</pair-device></iq>}; the client acks with {@code <iq type="result"
 * id=same/>}; each ref becomes {@code https://wa.me/settings/linked_devices#ref,noise,identity,adv,type}
 * with the keys in standard base64 with padding and {@code type} the web client type id (whatsmeow
 * PR #1110 calls the bare {@code ref,noise,identity,adv} form, used until 2026-05, no longer compliant);
 * the first ref is shown for 60 s and every later one for 20 s; when the refs run out Baileys ends the
 * connection (timedOut 408) instead of asking for more.
 */
public final class QrPairing {

    private final Deque<String> refs;
    private final String noisePub;
    private final String identityPub;
    private final String advSecret;
    private final String clientTypeId;
    private final Duration first;
    private final Duration next;
    private boolean shownFirst;

    /** What every QR link starts with; the rest follows the '#'. */
    public static final String LINK_PREFIX = "https://wa.me/settings/linked_devices#";

    public QrPairing(
            List<String> refs,
            byte[] noisePublic,
            byte[] identityPublic,
            byte[] advSecret,
            String clientTypeId,
            Duration first,
            Duration next) {
        this.refs = new ArrayDeque<>(refs);
        Base64.Encoder b64 = Base64.getEncoder();
        this.noisePub = b64.encodeToString(noisePublic);
        this.identityPub = b64.encodeToString(identityPublic);
        this.advSecret = b64.encodeToString(advSecret);
        this.clientTypeId = clientTypeId;
        this.first = first;
        this.next = next;
    }

    /** The QR text for a ref. */
    public static String qrText(
            String ref, byte[] noisePublic, byte[] identityPublic, byte[] advSecret, String clientTypeId) {
        Base64.Encoder b64 = Base64.getEncoder();
        return LINK_PREFIX
                + String.join(
                        ",",
                        ref,
                        b64.encodeToString(noisePublic),
                        b64.encodeToString(identityPublic),
                        b64.encodeToString(advSecret),
                        clientTypeId);
    }

    /** A QR to show and how long to show it, or {@code null} when the refs are used up. */
    public Shown nextQr() {
        String ref = refs.pollFirst();
        if (ref == null) {
            return null;
        }
        Duration ttl = shownFirst ? next : first;
        shownFirst = true;
        return new Shown(LINK_PREFIX + String.join(",", ref, noisePub, identityPub, advSecret, clientTypeId), ttl);
    }

    public int remaining() {
        return refs.size();
    }

    /** One QR text and its lifetime. */
    public record Shown(String text, Duration ttl) {
        @Override
        public String toString() {
            return "Shown[ttl=" + ttl + "]"; // the text carries the adv secret: never log it
        }
    }
}
