package dev.linkwell.service.diagnostics;

import dev.linkwell.client.doctor.ProbeStep;
import dev.linkwell.client.doctor.ProbeStep.Step;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What to change when a doctor step fails, in the service's own terms (the settings a user can change).
 *
 * @param demoMode       the engine is aimed at the embedded simulator
 * @param url            the endpoint checked
 * @param whatsAppAnchor the trust anchor is WhatsApp's own root key
 * @param versionSource  where the version came from ({@code configured}, {@code fetched}, {@code cache},
 *                       {@code built-in}, {@code request})
 * @param versionDetail  the same in words
 * @param versionUrl     {@code WA_VERSION_URL}
 * @param versionCache   the cache file under {@code STORAGE_ROOT}
 * @param timeout        the bound on each wait ({@code linkwell.native.connect-timeout})
 */
record DoctorAdvice(
        boolean demoMode,
        String url,
        boolean whatsAppAnchor,
        String versionSource,
        String versionDetail,
        String versionUrl,
        Path versionCache,
        Duration timeout) {

    private static final String REPORT =
            " If it persists, report it with the service log taken with ENGINE_DEBUG=true.";

    String forFailure(ProbeStep failed, String version) {
        return switch (failed.problem()) {
            case UNREACHABLE ->
                "Check WA_URL (now " + url + "): its host must resolve and accept connections from this"
                        + " machine. Allow outbound connections to web.whatsapp.com on port 443 in firewalls; Linkwell"
                        + " connects directly, not through an HTTP proxy.";
            case TLS ->
                "TLS failed: something between this machine and WhatsApp presents its own certificate (a"
                        + " TLS-inspecting proxy or firewall), or this Java runtime's CA certificates are out of date. Let"
                        + " web.whatsapp.com through without inspection, or update the JDK.";
            case UPGRADE_REFUSED ->
                "An HTTP server answered, but not as WhatsApp's WebSocket endpoint. WA_URL must be"
                        + " wss://web.whatsapp.com/ws/chat (or a simulator's ws://HOST:PORT/ws/chat).";
            case NO_ANSWER -> noAnswer(failed.step());
            case CLOSED, NOT_WHATSAPP ->
                failed.step().ordinal() <= Step.NOISE.ordinal()
                        ? "WA_URL (now " + url
                                + ") does not lead to a WhatsApp server, or something in between changes the"
                                + " traffic. For WhatsApp use wss://web.whatsapp.com/ws/chat."
                        : "The server ended the connection instead of offering pairing; retry in a minute." + REPORT;
            case UNTRUSTED_CERTIFICATE ->
                whatsAppAnchor
                        ? "The server's certificate chain is not signed by WhatsApp's root key: whatever answered at "
                                + url
                                + " is not WhatsApp, or something impersonates it. Do not link a phone through this connection;"
                                + " check WA_URL and the network path. If WA_URL is a simulator, set WA_TRUST_ANCHOR to its trust"
                                + " anchor."
                        : "The chain is not signed by WA_TRUST_ANCHOR. For WhatsApp leave WA_TRUST_ANCHOR unset (WhatsApp's"
                                + " root key is built in); for a simulator set it to the simulator's trust anchor (its admin API's"
                                + " GET /trust-anchor, or the 'Trust anchor' line it prints at start).";
            case CERTIFICATE_TIME ->
                "A certificate is outside its validity window at this machine's time: check the"
                        + " system clock (time zone and NTP synchronisation).";
            case BAD_CERTIFICATE ->
                "The certificate chain fails the check named above: the server is not a genuine"
                        + " WhatsApp server or the traffic is altered. Do not link a phone through this connection.";
            case CLIENT_OUTDATED -> outdated(version);
            case REFUSED ->
                "The server refused this client with the code above (405 is an outdated version, 409 a"
                        + " rejected user agent, 500 and 503 are trouble on the server's side: retry later)." + REPORT;
            case UNDECODABLE ->
                "A stanza from the server does not decode with Linkwell's token tables: WhatsApp may"
                        + " have changed its binary dictionary. Upgrade Linkwell." + REPORT;
        };
    }

    private String noAnswer(Step step) {
        return switch (step) {
            case WEBSOCKET ->
                "Nothing answered within " + seconds() + ": a firewall may drop the traffic, or WA_URL"
                        + " (now " + url + ") points at a host that accepts connections but is not a WebSocket server."
                        + " linkwell.native.connect-timeout sets the wait.";
            case NOISE ->
                "The WebSocket opened but nothing answered the Noise hello within " + seconds() + ": WA_URL"
                        + " (now " + url + ") is a WebSocket server but not WhatsApp's. For WhatsApp use"
                        + " wss://web.whatsapp.com/ws/chat.";
            default ->
                "The server took the registration but offered no pairing within " + seconds() + "; retry." + REPORT;
        };
    }

    private String outdated(String version) {
        String refused = "The server refuses version " + version + " as outdated (405). ";
        if (versionSource.equals("request")) {
            return refused + "Try without the version parameter, or with a newer version.";
        }
        if (demoMode) {
            return refused + "The embedded simulator's minimum version (LINKWELL_SIMULATOR_MINVERSION) is above it:"
                    + " lower the minimum, or set WA_VERSION to a newer version.";
        }
        String current = "the current WhatsApp Web version, 2.3000.<client_revision> with the client_revision that "
                + versionUrl + " names";
        return refused
                + switch (versionSource) {
                    case "configured" ->
                        "WA_VERSION pins it: unset WA_VERSION so that Linkwell finds the current version at"
                                + " start, or set it to " + current + ".";
                    case "built-in" ->
                        "It is the built-in version (" + versionDetail + "). Let this machine reach "
                                + versionUrl
                                + " (Linkwell reads the current version there at start), or set WA_VERSION to "
                                + current + ". A newer Linkwell also ships a newer built-in version.";
                    default ->
                        "It was " + versionDetail + ", yet is refused: set WA_VERSION to " + current + ", or delete "
                                + versionCache + " and restart to fetch it again.";
                };
    }

    private String seconds() {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
