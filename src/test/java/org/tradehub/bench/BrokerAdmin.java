package org.tradehub.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;

/**
 * The hub's embedded broker seen from outside, over its CORE TCP acceptor and Artemis's management address: queue
 * depths (the backlog), and pausing/purging the queues a scenario fills but does not want consumed.
 */
public final class BrokerAdmin implements AutoCloseable {

    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ClientSession session;
    private final ClientRequestor requestor;

    public BrokerAdmin(int port) throws Exception {
        locator = ActiveMQClient.createServerLocator("tcp://127.0.0.1:" + port);
        factory = locator.createSessionFactory();
        session = factory.createSession();
        requestor = new ClientRequestor(session, "activemq.management");
        session.start();
    }

    /** Messages on the queue now (0 when it does not exist yet). */
    public synchronized long depth(String queue) throws Exception {
        ClientMessage m = session.createMessage(false);
        ManagementHelper.putAttribute(m, ResourceNames.QUEUE + queue, "messageCount");
        ClientMessage reply = requestor.request(m, 5000);
        if (reply == null || !ManagementHelper.hasOperationSucceeded(reply)) {
            return 0;
        }
        return ((Number) ManagementHelper.getResult(reply)).longValue();
    }

    public void pause(String queue) throws Exception {
        invoke(queue, "pause");
    }

    public void resume(String queue) throws Exception {
        invoke(queue, "resume");
    }

    /** Drops every message on the queue (a scenario's load that nobody is meant to process). */
    public void purge(String queue) throws Exception {
        invoke(queue, "removeAllMessages");
    }

    /**
     * Purges the queues every two seconds until closed, and once more then: a scenario's load that nobody consumes
     * stays short, so the broker neither pages it to disk nor keeps it in the heap it shares with the hub (either
     * would tax whatever is measured next).
     */
    public AutoCloseable keepEmpty(String... queues) {
        ScheduledExecutorService purger = Executors.newSingleThreadScheduledExecutor();
        Runnable purgeAll = () -> {
            for (String q : queues) {
                try {
                    purge(q);
                } catch (Exception e) {
                    // the next round tries again
                }
            }
        };
        purger.scheduleWithFixedDelay(purgeAll, 2, 2, TimeUnit.SECONDS);
        return () -> {
            purger.shutdownNow();
            purger.awaitTermination(30, TimeUnit.SECONDS);
            purgeAll.run();
        };
    }

    private synchronized void invoke(String queue, String operation) throws Exception {
        ClientMessage m = session.createMessage(false);
        ManagementHelper.putOperationInvocation(m, ResourceNames.QUEUE + queue, operation);
        ClientMessage reply = requestor.request(m, 30_000);
        if (reply != null && !ManagementHelper.hasOperationSucceeded(reply)) {
            String why = String.valueOf(ManagementHelper.getResult(reply));
            if (!why.contains("not exist") && !why.contains("AMQ229")) {
                throw new IllegalStateException(operation + " " + queue + ": " + why);
            }
        }
    }

    @Override
    public void close() throws Exception {
        requestor.close();
        session.close();
        factory.close();
        locator.close();
    }
}
