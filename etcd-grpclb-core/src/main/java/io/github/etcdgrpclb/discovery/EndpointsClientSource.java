package io.github.etcdgrpclb.discovery;

import java.net.URI;
import java.util.Arrays;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.etcd.EtcdClientDefaults;

/**
 * For plain grpc-java: makes one etcd client per resolver, closed with it. The endpoint comes from
 * the target's authority ({@code etcd://10.0.0.1:2379/orders}), else the endpoints from the
 * {@code etcd.endpoints} system property, else from the {@code ETCD_ENDPOINTS} environment variable
 * (comma separated). Several endpoints do not fit in the authority: grpc-java 1.84 parses targets as
 * RFC 3986 URIs and refuses {@code etcd://10.0.0.1:2379,10.0.0.2:2379/orders} before asking us.
 */
final class EndpointsClientSource implements EtcdClientSource {

	@Override
	public Client acquire(URI target) {
		String endpoints = (target.getRawAuthority() != null && !target.getRawAuthority().isEmpty())
				? target.getRawAuthority() : System.getProperty("etcd.endpoints", System.getenv("ETCD_ENDPOINTS"));
		if (endpoints == null || endpoints.isBlank()) {
			throw new IllegalArgumentException("No etcd endpoints for " + target
					+ ": write them in the target (etcd://127.0.0.1:2379/<service>), or set the system property "
					+ "etcd.endpoints or the environment variable ETCD_ENDPOINTS");
		}
		String[] urls = Arrays.stream(endpoints.split(","))
			.map(String::trim)
			.map((endpoint) -> endpoint.contains("://") ? endpoint : "http://" + endpoint)
			.toArray(String[]::new);
		return EtcdClientDefaults.apply(Client.builder().endpoints(urls)).build();
	}

	@Override
	public void release(Client client) {
		client.close();
	}

}
