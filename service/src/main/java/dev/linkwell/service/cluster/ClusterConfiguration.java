package dev.linkwell.service.cluster;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.protocol.time.SystemScheduler;
import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventProperties;
import dev.linkwell.service.security.ApiKeys;
import dev.linkwell.service.session.SessionLeases;
import dev.linkwell.service.session.SessionService;
import dev.linkwell.service.storage.SessionStateStore;
import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.storage.postgres.PostgresDatabase;
import dev.linkwell.service.storage.postgres.PostgresEventJournal;
import dev.linkwell.service.storage.postgres.PostgresLeases;
import dev.linkwell.service.storage.postgres.PostgresNotifications;
import dev.linkwell.service.storage.postgres.PostgresSessionKeyStore;
import dev.linkwell.service.web.HttpProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code STORAGE=postgres}: the nodes on one database share the sessions (ADR 0015). Leases with fencing epochs
 * decide which node runs which session ({@link ClusterOwnership}, the {@link LeaseBook} as the stores' fence), the
 * {@link Balancer} spreads them, the {@link ForwardingFilter} lets any node answer the API, and the event log is the
 * journal every node's bus reads ({@link PostgresEventJournal}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "linkwell.storage.type", havingValue = StorageProperties.POSTGRES)
class ClusterConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClusterConfiguration.class);
    /** Leases count on a clock that wall-clock jumps (NTP) cannot move. */
    private static final InstantSource MONOTONIC = () -> Instant.EPOCH.plusNanos(System.nanoTime());

    @Bean
    PostgresLeases postgresLeases(PostgresDatabase database) {
        return new PostgresLeases(database);
    }

    @Bean
    LeaseBook leaseBook(ClusterProperties properties) {
        String node = properties.nodeIdOrGenerated();
        log.info(
                "Node {}: sessions are shared with the other nodes on this database, by leases of {}",
                node,
                properties.leaseTtl());
        return new LeaseBook(node, MONOTONIC, properties.leaseTtl().minus(properties.safetyMargin()));
    }

    @Bean(destroyMethod = "close")
    SystemScheduler leaseScheduler() {
        return new SystemScheduler("cluster-leases");
    }

    @Bean(destroyMethod = "close")
    SystemScheduler claimScheduler() {
        return new SystemScheduler("cluster-claims");
    }

    @Bean(destroyMethod = "close")
    ClusterOwnership clusterOwnership(
            PostgresLeases leases,
            LeaseBook book,
            ClusterProperties properties,
            @Qualifier("leaseScheduler") SystemScheduler scheduler) {
        return new ClusterOwnership(leases, book, properties, scheduler, MONOTONIC);
    }

    @Bean(destroyMethod = "close")
    Balancer balancer(
            SessionLeases sessions,
            ClusterOwnership ownership,
            PostgresLeases leases,
            LeaseBook book,
            ClusterProperties properties,
            @Qualifier("claimScheduler") SystemScheduler scheduler) {
        return new Balancer(
                sessions,
                ownership,
                leases,
                book,
                new ClaimBudget(MONOTONIC, properties.claimsPerSecond()),
                properties,
                scheduler);
    }

    @Bean(destroyMethod = "close")
    PostgresNotifications postgresNotifications(PostgresDatabase database, ClusterProperties properties, ApiKeys keys) {
        PostgresNotifications notifications = new PostgresNotifications(database, properties.pollInterval());
        // a key made or revoked on another node counts here at once; after a gap in notifications, all are read again
        notifications.on(PostgresSessionKeyStore.CHANNEL, keys::reload);
        notifications.onConnected(keys::reloadAll);
        return notifications;
    }

    @Bean(destroyMethod = "close")
    PostgresEventJournal eventJournal(
            PostgresDatabase database,
            EventBus bus,
            JsonMapper json,
            Clock clock,
            StorageProperties storage,
            EventProperties events,
            LeaseBook book,
            PostgresNotifications notifications) {
        return new PostgresEventJournal(
                database, bus, json, clock, storage.eventLogRetention(), book, events.bufferSize(), notifications);
    }

    @Bean
    ForwardingFilter forwardingFilter(
            LeaseBook book,
            PostgresLeases leases,
            SessionService sessions,
            SessionStateStore states,
            CredentialStore credentials,
            ClusterProperties properties,
            JsonMapper json,
            HttpProperties http) {
        return new ForwardingFilter(
                book,
                leases,
                sessions,
                states,
                credentials,
                properties,
                json,
                http.maxBodySize().toBytes());
    }

    /** The other nodes forward calls to this one at the port the web server got (when no NODE_URL says otherwise). */
    @EventListener
    void advertise(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() != null) {
            return; // a separate management port, not the API's
        }
        ClusterOwnership ownership = event.getApplicationContext().getBean(ClusterOwnership.class);
        InetAddress address = localAddress();
        ownership.advertise("http://" + address.getHostAddress() + ":"
                + event.getWebServer().getPort());
        if (event.getApplicationContext().getBean(ClusterProperties.class).advertisedUrl() == null
                && address.isLoopbackAddress()) {
            log.warn(
                    "NODE_URL is not set and this host's name resolves to {}, a loopback address: nodes on other"
                            + " hosts cannot forward calls to this one; set NODE_URL to an address they reach",
                    address);
        }
        log.info("Other nodes forward calls for this node's sessions to {}", ownership.url());
    }

    /** Ready: events and key changes start flowing in, and this node starts taking sessions up. */
    @EventListener
    void ready(ApplicationReadyEvent event) {
        event.getApplicationContext().getBean(PostgresNotifications.class).start();
        event.getApplicationContext().getBean(Balancer.class).start();
    }

    private static InetAddress localAddress() {
        try {
            return InetAddress.getLocalHost();
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress();
        }
    }
}
