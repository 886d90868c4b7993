package org.tradehub.bench;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tradehub.bench.scenario.EndToEndScenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's own arithmetic: reading the hub's Prometheus text, the backlog trend, the CPU shares. */
class BenchMeasuresTest {

    @Test
    void sumsOnlyTheSeriesWhoseLabelsMatch() {
        String text = """
                # HELP hub_declaration_notifications_total
                hub_declaration_notifications_total{application="trade-hub",event="DECLARATION_ACCEPTED"} 41.0
                hub_declaration_notifications_total{application="trade-hub",event="DECLARATION_RECEIVED"} 43.0
                hub_declaration_notifications_total_other 7.0
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.0E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.5E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.0E7
                """;
        assertEquals(41.0, HubProcess.sum(text, "hub_declaration_notifications_total", "event=\"DECLARATION_ACCEPTED\""));
        assertEquals(84.0, HubProcess.sum(text, "hub_declaration_notifications_total"));
        assertEquals(3.5e7, HubProcess.sum(text, "jvm_memory_used_bytes", "area=\"heap\""));
        assertEquals(0.0, HubProcess.sum(text, "no_such_metric"));
    }

    @Test
    void backlogSlopeIsFlatWhenTheHubKeepsUpAndPositiveWhenItDoesNot() {
        // t, sent, accepted: keeping up at 100/s with a constant 50 in flight
        List<double[]> keepingUp = List.of(new double[] {1, 150, 100}, new double[] {2, 250, 200},
                new double[] {3, 350, 300}, new double[] {4, 450, 400});
        assertEquals(0.0, EndToEndScenario.slope(keepingUp), 1e-9);
        // 100/s offered, 60/s accepted: the backlog grows by 40 a second
        List<double[]> behind = List.of(new double[] {1, 100, 60}, new double[] {2, 200, 120},
                new double[] {3, 300, 180}, new double[] {4, 400, 240});
        assertEquals(40.0, EndToEndScenario.slope(behind), 1e-9);
    }

    @Test
    void tellsTheGarbageCollectorsShareOfAProcessFromTheRest() {
        // this JVM measured as the "hub": collections forced in a loop are the collector's CPU, the loop's own work is not
        CpuMeter meter = new CpuMeter(ProcessHandle.current().pid()).start();
        long sum = 0;
        for (int i = 0; i < 20; i++) {
            List<byte[]> garbage = new java.util.ArrayList<>();
            for (int j = 0; j < 2000; j++) {
                garbage.add(new byte[4096]);
            }
            sum += garbage.size();
            System.gc();
        }
        CpuMeter.Usage usage = meter.stop();
        assertEquals(40_000, sum);
        assertTrue(usage.hubGc() > 0, "GC threads' CPU counted: " + usage);
        assertTrue(usage.hubGc() + usage.hubJit() <= usage.hub() + 1e-9, "a part of the process's share: " + usage);
        CpuMeter.Usage twice = usage.plus(usage);
        assertEquals(usage.hubGc(), twice.hubGc(), 1e-9);
        assertEquals(2 * usage.seconds(), twice.seconds(), 1e-9);
    }
    @Test
    void putsEachThreadsCpuInTheStageItsNameTells() {
        String before = """
                "Camel (camel-1) thread #7 - JmsConsumer[hub.orders.received]" #81 daemon prio=5 os_prio=0 cpu=1000.00ms elapsed=90.1s tid=0x1 nid=0x2a waiting on condition
                "Camel (camel-1) thread #9 - JmsConsumer[hub.declarations.gb-cds]" #83 daemon prio=5 os_prio=0 cpu=500.00ms elapsed=90.1s tid=0x2 nid=0x2b runnable
                "http-nio-8080-exec-3" #60 daemon prio=5 os_prio=0 cpu=300.00ms elapsed=90.1s tid=0x3 nid=0x2c runnable
                "C2 CompilerThread0" #6 daemon prio=9 os_prio=0 cpu=4000.00ms elapsed=95.0s tid=0x4 nid=0x10 waiting on condition
                """;
        String after = before.replace("cpu=1000.00ms", "cpu=1330.00ms").replace("cpu=4000.00ms", "cpu=4100.00ms")
                // a replaced pool thread of the same name: counted from zero, by its native id
                .replace("cpu=300.00ms elapsed=90.1s tid=0x3 nid=0x2c", "cpu=20.00ms elapsed=1.0s tid=0x5 nid=0x3c")
                + "\"GC Thread#0\" os_prio=0 cpu=50.00ms elapsed=95.0s tid=0x6 nid=0x11 runnable\n"
                // the thread that completes the broker's journal writes with libaio (its name as a hub's thread dump gives it)
                + "\"activemq-libaio-poller\" #31 prio=5 os_prio=0 cpu=40.00ms elapsed=1.0s tid=0x7 nid=0x3d runnable\n";
        java.util.Map<String, Double> perOrder = StageCpu.parse(after, 3_000_000_000L).since(StageCpu.parse(before, 1_000_000_000L), 10);
        assertEquals(33.0, perOrder.get("intake"));
        assertEquals(0.0, perOrder.get("declarations"));
        assertEquals(2.0, perOrder.get("http"));
        assertEquals(10.0, perOrder.get("jit"));
        assertEquals(5.0, perOrder.get("gc"));
        assertEquals(4.0, perOrder.get("broker"));
        assertEquals(54.0, perOrder.get("total"));
        assertEquals(2.0, StageCpu.parse(after, 3_000_000_000L).secondsSince(StageCpu.parse(before, 1_000_000_000L)));
        assertTrue(StageCpu.describe(perOrder, " ms").startsWith("54.0 ms (intake 33.0, jit 10.0, gc 5.0, broker 4.0, http 2.0)"),
                StageCpu.describe(perOrder, " ms"));
    }

    @Test
    void readsThreadCpuTimesFromARealThreadDump() throws Exception {
        // this JVM's own dumps, with a thread named like an intake consumer spinning between them
        java.util.concurrent.atomic.AtomicBoolean spin = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Thread busy = new Thread(() -> {
            started.countDown();
            double x = 0;
            while (spin.get()) {
                x += Math.sqrt(x + 1);
            }
            assertTrue(x > 0);
        }, "Camel (camel-1) thread #1 - JmsConsumer[hub.orders.received]");
        busy.start();
        started.await();
        StageCpu before = StageCpu.take(ProcessHandle.current().pid());
        Thread.sleep(500);
        StageCpu after = StageCpu.take(ProcessHandle.current().pid());
        spin.set(false);
        busy.join();
        assertTrue(before != null && after != null, "jcmd gave a thread dump");
        double intakeMillis = after.since(before, 1).get("intake");
        assertTrue(intakeMillis >= 100, "the spinning thread's CPU counted for the intake: " + intakeMillis + " ms");
    }
}
