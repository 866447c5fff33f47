package io.github.etcdgrpclb.discovery;

import java.net.URI;

import io.etcd.jetcd.Client;

/**
 * Where a resolver gets its etcd client from: the application's client (Spring), or one made for
 * the target (plain grpc-java).
 */
public interface EtcdClientSource {

	/**
	 * @param target the channel target, e.g. {@code etcd:///orders}
	 * @return a client to resolve it with
	 */
	Client acquire(URI target);

	/**
	 * Called when the resolver that acquired the client shuts down.
	 * @param client the client
	 */
	void release(Client client);

	/**
	 * @param client a client that belongs to the application and outlives the resolvers
	 * @return a source that hands out that client for targets without an authority
	 * ({@code etcd:///orders}) and never closes it; a target that names its etcd
	 * ({@code etcd://10.0.0.1:2379/orders}) gets a client of its own for that etcd, closed with its
	 * resolver, so that it outlives the application's client too
	 */
	static EtcdClientSource shared(Client client) {
		EtcdClientSource named = new EndpointsClientSource();
		return new EtcdClientSource() {

			@Override
			public Client acquire(URI target) {
				return (target.getRawAuthority() == null || target.getRawAuthority().isEmpty()) ? client
						: named.acquire(target);
			}

			@Override
			public void release(Client released) {
				if (released != client) {
					named.release(released);
				}
			}

		};
	}

}
