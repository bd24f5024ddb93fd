package io.hallmark.device.mqtt;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads Paho clients run on. Paho starts three long-lived loops per connection (receiver, sender,
 * callback) and schedules pings; on platform threads a thousand simulated devices would need thousands of
 * them. Virtual threads, one per task: the pool's size is no limit (a long-lived loop must never wait for a
 * free worker), and idle workers end after a while so scheduled pings do not accumulate them.
 */
public final class PahoThreads {

    private PahoThreads() {
    }

    public static ScheduledExecutorService create() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(Integer.MAX_VALUE, Thread.ofVirtual().name("mqtt-", 0).factory()) {
            /** Paho's loops of a client that was never closed would keep a plain close() waiting forever: interrupt them. */
            @Override
            public void close() {
                shutdownNow();
                try {
                    awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        executor.setKeepAliveTime(30, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
