package io.github.etcdgrpclb.spring.election;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Leader election ({@code etcd.leader.*}): one leader per name across the cluster, on etcd's
 * {@code concurrency.Election} layout.
 */
@ConfigurationProperties("etcd.leader")
public class EtcdLeaderProperties {

	/**
	 * Whether this application campaigns for leadership (off by default).
	 */
	private boolean enabled;

	/**
	 * Name of the election; the applications that share it elect one leader. Defaults to
	 * spring.application.name.
	 */
	private String name;

	/**
	 * Key prefix of elections: the candidates' keys are '<prefix>/<name>/<lease-hex>' (what a Go
	 * program passes to concurrency.NewElection as '<prefix>/<name>').
	 */
	private String prefix = "/election";

	/**
	 * TTL of the candidate's lease (whole seconds, at least 2s): a crashed leader is followed after
	 * this time; a leader that cannot reach etcd steps down before it could run out.
	 */
	private Duration ttl = Duration.ofSeconds(10);

	/**
	 * This candidate's id, the value of its key and what every instance (and Go's Leader()) reports
	 * as the leader. Defaults to the advertised host:port of the gRPC server, or host and process id
	 * for an application without one.
	 */
	private String candidateId;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	public Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

	public String getCandidateId() {
		return this.candidateId;
	}

	public void setCandidateId(String candidateId) {
		this.candidateId = candidateId;
	}

}
