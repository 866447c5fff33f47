package io.github.etcdgrpclb.etcd;

/**
 * Thrown when etcd rejects the client's configuration: wrong credentials, or a TLS handshake that
 * fails. An etcd that is merely unreachable does not cause it.
 */
public class EtcdConnectionException extends RuntimeException {

	/** What etcd rejected. */
	public enum Problem {

		/** etcd refused the user name or password. */
		AUTHENTICATION,

		/** The TLS handshake failed (untrusted certificate, client certificate refused, host name mismatch). */
		TLS

	}

	private final Problem problem;

	private final String endpoints;

	public EtcdConnectionException(Problem problem, String endpoints, String message, Throwable cause) {
		super(message, cause);
		this.problem = problem;
		this.endpoints = endpoints;
	}

	/** @return what etcd rejected */
	public Problem getProblem() {
		return this.problem;
	}

	/** @return the endpoints the client was configured with */
	public String getEndpoints() {
		return this.endpoints;
	}

}
