package io.github.etcdgrpclb.spring.actuate;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code etcd} health component on Spring Boot 4's health API; what it reports is
 * {@link EtcdHealthProbe}'s.
 */
public class EtcdHealthIndicator extends AbstractHealthIndicator {

	private final EtcdHealthProbe probe;

	private final Status unreachable;

	/**
	 * @param probe what asks etcd
	 * @param unreachableStatus the status while etcd cannot be reached, e.g. UNKNOWN or DOWN
	 */
	public EtcdHealthIndicator(EtcdHealthProbe probe, String unreachableStatus) {
		super("etcd health check failed");
		this.probe = probe;
		this.unreachable = new Status(unreachableStatus);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		EtcdHealthProbe.Result result = this.probe.check();
		Status status = switch (result.state()) {
			case UP -> Status.UP;
			case OUT_OF_SERVICE -> Status.OUT_OF_SERVICE;
			case UNREACHABLE -> this.unreachable;
		};
		builder.status(status).withDetails(result.details());
	}

}
