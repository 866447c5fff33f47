package io.github.etcdgrpclb.actuate;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code etcd} health component on Spring Boot 4's health API; what it reports is
 * {@link EtcdHealthProbe}'s.
 */
public class EtcdHealthIndicator extends AbstractHealthIndicator {

	private final EtcdHealthProbe probe;

	/** @param probe what asks etcd */
	public EtcdHealthIndicator(EtcdHealthProbe probe) {
		super("etcd health check failed");
		this.probe = probe;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		EtcdHealthProbe.Result result = this.probe.check();
		builder.status(result.outOfService() ? Status.OUT_OF_SERVICE : Status.UP).withDetails(result.details());
	}

}
