package io.github.etcdgrpclb.sample.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.etcdgrpclb.balancer.WeightBalancers;

/**
 * What the weight balancer thought of each server while the demo ran: every change of a server's
 * health ("healthy", "slowed to ...", "ejected: ..."), read from the balancer's snapshots every 50 ms,
 * so that a split away from etcd's weights comes with its reason.
 */
final class HealthLog implements AutoCloseable {

	private final long started = System.nanoTime();

	private final Map<String, String> lastHealth = new HashMap<>();

	private final List<String> changes = new ArrayList<>();

	private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "demo-health-log");
		thread.setDaemon(true);
		return thread;
	});

	HealthLog() {
		this.sampler.scheduleWithFixedDelay(this::sample, 0, 50, TimeUnit.MILLISECONDS);
	}

	private synchronized void sample() {
		double seconds = (System.nanoTime() - this.started) / 1e9;
		for (WeightBalancers.Snapshot snapshot : WeightBalancers.snapshots()) {
			for (WeightBalancers.Backend backend : snapshot.backends()) {
				String health = (backend.health() != null) ? backend.health() : "healthy";
				String previous = this.lastHealth.put(backend.address(), health);
				if (!health.equals(previous) && (previous != null || !health.equals("healthy"))) {
					this.changes.add(String.format(Locale.ROOT, "  %5.1f s  %-22s %s", seconds, backend.address(), health));
				}
			}
		}
	}

	/** @return the changes seen, oldest first, one line each */
	synchronized List<String> changes() {
		return List.copyOf(this.changes);
	}

	@Override
	public void close() {
		this.sampler.shutdownNow();
	}

}
