package io.github.etcdgrpclb.etcd;

import io.etcd.jetcd.ClientBuilder;

/**
 * What every etcd client of this project sets beyond jetcd's defaults.
 * <p>
 * jetcd pings etcd every keep-alive interval even when no call or stream is open. etcd's server
 * enforces gRPC's keep-alive policy without permitting such pings ({@code PermitWithoutStream} is
 * false and cannot be changed by a flag): every ping on an idle connection is a strike, and after
 * two strikes etcd closes the connection with {@code GOAWAY ENHANCE_YOUR_CALM "too_many_pings"},
 * logged every few minutes by an idle client. Pinging only while calls are open is what etcd's Go
 * client does; an open watch or lease keep-alive stream still gets its pings.
 */
public final class EtcdClientDefaults {

	private EtcdClientDefaults() {
	}

	/**
	 * @param builder a jetcd client builder
	 * @return the same builder, pinging only while calls or streams are open
	 */
	public static ClientBuilder apply(ClientBuilder builder) {
		return builder.keepaliveWithoutCalls(false);
	}

}
