package io.github.etcdgrpclb.spring.discovery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the etcd name resolver (targets {@code etcd:///<service>} and
 * {@code grpclb:///<service>}). It reads under etcd.registry.prefix and clamps weights to
 * etcd.registry.max-weight.
 */
@ConfigurationProperties("etcd.discovery")
public class EtcdDiscoveryProperties {

	/**
	 * Whether to resolve etcd:/// and grpclb:/// targets through etcd.
	 */
	private boolean enabled = true;

	/**
	 * How often each resolver lists its service again, as a safety net behind the watch (a watch can
	 * go silent after an etcd data restore).
	 */
	private Duration resyncInterval = Duration.ofMinutes(5);

	/**
	 * How long one list request to etcd may take before it is retried.
	 */
	private Duration requestTimeout = Duration.ofSeconds(5);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getResyncInterval() {
		return this.resyncInterval;
	}

	public void setResyncInterval(Duration resyncInterval) {
		this.resyncInterval = resyncInterval;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

}
