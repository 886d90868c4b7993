package org.tradehub.files;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Wires the file channels into Camel: the one cluster service of the hub (leases in the database; a second cluster
 * service would make every {@code master:} route fail to start), and one poller route per partner directory, each an
 * instance of the route template {@code routes/in-file-drop.yaml}.
 */
@Configuration
public class FileChannelConfig {

    private static final Logger LOG = LoggerFactory.getLogger(FileChannelConfig.class);

    @Bean
    CamelContextConfiguration fileChannels(JdbcTemplate jdbc, FilesProperties config, FilePartners partners,
                                           FilePollers pollers) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                try {
                    camel.addService(new DbLeaseClusterService(jdbc, config.lease().durationMs(),
                            config.lease().renewMs()), true, true);
                } catch (Exception e) {
                    throw new IllegalStateException("cluster service", e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                for (FilesProperties.Partner p : partners.all()) {
                    addPoller(camel, p, p.inbox(), "orders");
                    addPoller(camel, p, p.answersDirectory(), "answers");
                }
            }

            private void addPoller(CamelContext camel, FilesProperties.Partner p, String directory, String purpose) {
                if (directory == null || directory.isBlank()) {
                    return;
                }
                String tracker = FilePollers.beanName(p.id(), purpose);
                camel.getRegistry().bind(tracker, pollers.tracker(p.id(), purpose, p.pollIntervalMs(), p.backoffMaxMs()));
                String routeId = "in-file-drop-" + p.id() + "-" + purpose;
                try {
                    TemplatedRouteBuilder.builder(camel, "in-file-drop")
                            .routeId(routeId)
                            .parameter("partnerId", p.id())
                            .parameter("purpose", purpose)
                            .parameter("consumerUri", partners.consumerUri(p, directory, purpose))
                            .parameter("reasonUri", partners.producerUri(p, directory.replaceFirst("/+$", "") + "/.error"))
                            .add();
                } catch (Exception e) {
                    // one partner's broken profile must not keep the others' pollers from starting
                    pollers.broken(p.id(), purpose, "the poller could not be created", e);
                    return;
                }
                LOG.info("File poller {} for {}://{}/{} (a cluster singleton)", routeId, p.protocol(), p.host(), directory);
            }
        };
    }
}
