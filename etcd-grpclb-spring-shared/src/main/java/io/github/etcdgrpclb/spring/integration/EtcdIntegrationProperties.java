package io.github.etcdgrpclb.spring.integration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Spring Integration on etcd ({@code etcd.integration.*}): its LockRegistry on etcd's locks, and its
 * Candidate in an etcd election (named by the candidate's role, under {@code etcd.leader.prefix},
 * on a lease of {@code etcd.leader.ttl}).
 */
@ConfigurationProperties("etcd.integration")
public class EtcdIntegrationProperties {

	/**
	 * Whether Spring Integration, when on the class path, gets an etcd LockRegistry (unless the
	 * application defines a LockRegistry) and runs its single Candidate bean in an etcd election
	 * (unless the application defines a leader initiator).
	 */
	private boolean enabled = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
