package io.github.etcdgrpclb.spring.actuate;

import java.time.Duration;
import java.util.List;

import io.github.etcdgrpclb.lock.EtcdLockListener;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockNotAcquiredException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Lock meters: {@code grpclb.lock.acquire} (timer of the wait, tag {@code outcome}: acquired,
 * timeout, error, interrupted), {@code grpclb.lock.held} (gauge) and {@code grpclb.lock.leases.lost}
 * (counter). No lock-name tag: names such as {@code order:<id>} would grow without bound.
 */
public class EtcdLockMetrics implements EtcdLockListener {

	private final MeterRegistry registry;

	private final Counter leasesLost;

	public EtcdLockMetrics(MeterRegistry registry, ObjectProvider<EtcdLockTemplate> template) {
		this.registry = registry;
		this.leasesLost = Counter.builder("grpclb.lock.leases.lost")
			.description("Lock leases lost (expired or revoked) while the application ran")
			.register(registry);
		Gauge.builder("grpclb.lock.held", template, (t) -> {
			EtcdLockTemplate current = t.getIfAvailable();
			return (current != null) ? current.heldLocks().size() : 0;
		}).strongReference(true).description("Locks this application holds").register(registry);
	}

	@Override
	public void acquired(String name, Duration waited) {
		timer("acquired").record(waited);
	}

	@Override
	public void notAcquired(String name, Duration waited, Exception cause) {
		String outcome = (cause instanceof InterruptedException) ? "interrupted"
				: (cause instanceof LockNotAcquiredException && cause.getCause() == null) ? "timeout" : "error";
		timer(outcome).record(waited);
	}

	@Override
	public void leaseLost(List<String> heldLocks) {
		this.leasesLost.increment();
	}

	private Timer timer(String outcome) {
		return Timer.builder("grpclb.lock.acquire")
			.tag("outcome", outcome)
			.description("Time from asking for an etcd lock to holding it or giving up")
			.register(this.registry);
	}

}
