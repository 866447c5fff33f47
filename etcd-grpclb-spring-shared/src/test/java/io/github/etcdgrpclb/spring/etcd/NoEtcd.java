package io.github.etcdgrpclb.spring.etcd;

/**
 * Properties for wiring tests that need no etcd: the client is built against a closed loopback port
 * without the startup check, so a test that does talk to etcd fails instead of passing by luck.
 */
public final class NoEtcd {

	/** The endpoint: a closed loopback port. */
	public static final String ENDPOINT = "http://127.0.0.1:1";

	/** {@code etcd.endpoints} at {@link #ENDPOINT}, not verified at startup. */
	public static final String[] PROPERTIES = { "etcd.endpoints=" + ENDPOINT, "etcd.verify-on-startup=false" };

	private NoEtcd() {
	}

}
