package io.github.etcdgrpclb.spring.actuate;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code etcd} health component ({@code etcd.health.*}); turned off with
 * {@code management.health.etcd.enabled=false}.
 */
@ConfigurationProperties("etcd.health")
public class EtcdHealthProperties {

	/**
	 * Status of the etcd health component while etcd cannot be reached. UNKNOWN (the default) keeps
	 * the application's aggregate health UP: its servers keep serving and its clients keep calling the
	 * servers they know, so an etcd outage must not turn into a restart or unrouting of the whole
	 * fleet. DOWN makes an unreachable etcd fail the aggregate health (HTTP 503).
	 */
	private String unreachableStatus = "UNKNOWN";

	/** How long each etcd call of one health check may take; a probe must answer quickly. */
	private Duration timeout = Duration.ofSeconds(2);

	public String getUnreachableStatus() {
		return this.unreachableStatus;
	}

	public void setUnreachableStatus(String unreachableStatus) {
		this.unreachableStatus = unreachableStatus;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

}
