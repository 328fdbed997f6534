package dev.linkwell.service.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Linkwell-Signature: sha256=<hex>}, the HMAC-SHA256 with the endpoint's secret of
 * {@code "<X-Linkwell-Timestamp>.<body>"}. Signing the timestamp with the body lets a receiver refuse
 * old deliveries replayed by someone who recorded them.
 */
public final class WebhookSignature {

    public static final String EVENT_ID_HEADER = "X-Linkwell-Event-Id";
    public static final String TIMESTAMP_HEADER = "X-Linkwell-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Linkwell-Signature";
    static final String PREFIX = "sha256=";

    private WebhookSignature() {}

    /** The header value for a delivery made at {@code timestamp} (epoch seconds). */
    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
