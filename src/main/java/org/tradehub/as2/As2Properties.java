package org.tradehub.as2;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The AS2 station's settings (prefix {@code hub.as2}); application.yml says what each one means. */
@ConfigurationProperties("hub.as2")
public record As2Properties(
        int port,
        String path,
        String publicUrl,
        Path keystore,
        String keystorePassword,
        long maxBodyBytes,
        Duration asyncMdnResendAfter,
        int asyncMdnMaxAttempts,
        Duration overdueCheckInterval,
        int certificateWarningDays,
        int concurrentConsumers) {

    /** Where partners send asynchronous MDNs for what we sent them. */
    public String asyncMdnUrl() {
        return publicUrl + path + "/mdn";
    }
}
