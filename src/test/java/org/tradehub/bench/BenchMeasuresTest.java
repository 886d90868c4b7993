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
}
