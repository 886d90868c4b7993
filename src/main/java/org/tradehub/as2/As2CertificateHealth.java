package org.tradehub.as2;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * AS2 certificates that expire soon (hub.as2.certificate-warning-days, 30 by default): warned about at start-up
 * and shown in /actuator/health (component "as2Certificates"). The hub stays UP: one partner's certificate must
 * not take the whole hub out of a load balancer, but the operator must see it in time to exchange certificates.
 */
@Component("as2Certificates")
public class As2CertificateHealth implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(As2CertificateHealth.class);

    private final As2Keystore keystore;
    private final As2Properties properties;
    private final Clock clock;

    public As2CertificateHealth(As2Keystore keystore, As2Properties properties, Clock clock) {
        this.keystore = keystore;
        this.properties = properties;
        this.clock = clock;
    }

    List<As2Keystore.Expiring> expiring() {
        return keystore.expiringWithin(Duration.ofDays(properties.certificateWarningDays()), clock.instant());
    }

    @EventListener(ApplicationReadyEvent.class)
    public void warnAtStartUp() {
        for (As2Keystore.Expiring e : expiring()) {
            LOG.warn("AS2 certificate '{}' ({}) {} {}: exchange it with the partner now", e.alias(), e.subject(),
                    e.notAfter().isBefore(clock.instant()) ? "expired on" : "expires on", e.notAfter());
        }
    }

    @Override
    public Health health() {
        List<As2Keystore.Expiring> soon = expiring();
        Health.Builder health = Health.up().withDetail("warningDays", properties.certificateWarningDays());
        if (!soon.isEmpty()) {
            health.withDetail("warning", soon.size() + " AS2 certificate(s) expire within "
                    + properties.certificateWarningDays() + " days").withDetail("expiring", soon);
        }
        return health.build();
    }
}
