package io.github.etcdgrpclb.spring.config;

/**
 * Thrown when a non-optional {@code spring.config.import} of etcd cannot read its folders at
 * startup; {@link EtcdConfigUnavailableFailureAnalyzer} reports it.
 */
public class EtcdConfigUnavailableException extends RuntimeException {

	private final String location;

	private final String endpoints;

	EtcdConfigUnavailableException(String location, String endpoints, Throwable cause) {
		super("spring.config.import=" + location + " could not read its configuration from etcd at " + endpoints + ": "
				+ cause.getMessage(), cause);
		this.location = location;
		this.endpoints = endpoints;
	}

	/** @return the import, as written in spring.config.import */
	public String getLocation() {
		return this.location;
	}

	/** @return the etcd endpoints tried */
	public String getEndpoints() {
		return this.endpoints;
	}

}
