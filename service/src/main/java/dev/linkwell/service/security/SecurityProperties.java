package dev.linkwell.service.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code linkwell.security.*}.
 *
 * @param apiKeys admin keys ({@code API_KEY}, comma-separated); none means the API is open to anyone who reaches it
 * @param publicDocs whether the OpenAPI document and Swagger UI are readable without a key (they hold no data,
 *                   but the rule is that everything but health needs a key, so it is off by default)
 */
@ConfigurationProperties("linkwell.security")
public record SecurityProperties(
        @DefaultValue("") List<String> apiKeys,
        @DefaultValue("false") boolean publicDocs) {

    static final int MIN_KEY_LENGTH = 16;

    public SecurityProperties {
        apiKeys = apiKeys == null
                ? List.of()
                : apiKeys.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
        for (String key : apiKeys) {
            if (key.length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException("every API_KEY (linkwell.security.api-keys) must be at least "
                        + MIN_KEY_LENGTH + " characters long");
            }
        }
    }

    @Override
    public String toString() {
        return "SecurityProperties[apiKeys=" + apiKeys.size() + ", publicDocs=" + publicDocs + "]";
    }
}
