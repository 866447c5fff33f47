package io.github.etcdgrpclb.spring.lock;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of {@code @EtcdLock} and {@code EtcdLockTemplate}.
 */
@ConfigurationProperties("etcd.lock")
public class EtcdLockProperties {

	/**
	 * Whether to provide EtcdLockTemplate and run @EtcdLock methods under etcd locks.
	 */
	private boolean enabled = true;

	/**
	 * Key prefix of the locks: @EtcdLock(key = "x") locks '<prefix>/x' (the name a Go program
	 * passes to concurrency.NewMutex to share the lock).
	 */
	private String prefix = "/locks";

	/**
	 * TTL of the lease the lock keys live on (whole seconds, at least 2s), kept alive while the
	 * application runs: a crashed holder frees its locks after this time.
	 */
	private Duration leaseTtl = Duration.ofSeconds(10);

	/**
	 * How long @EtcdLock methods wait for their lock unless the annotation says otherwise; 0 tries once.
	 */
	private Duration waitTime = Duration.ofSeconds(5);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	public Duration getLeaseTtl() {
		return this.leaseTtl;
	}

	public void setLeaseTtl(Duration leaseTtl) {
		this.leaseTtl = leaseTtl;
	}

	public Duration getWaitTime() {
		return this.waitTime;
	}

	public void setWaitTime(Duration waitTime) {
		this.waitTime = waitTime;
	}

}
