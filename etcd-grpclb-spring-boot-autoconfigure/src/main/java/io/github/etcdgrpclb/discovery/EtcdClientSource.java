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
	 * @return a source that always hands out that client and never closes it
	 */
	static EtcdClientSource shared(Client client) {
		return new EtcdClientSource() {

			@Override
			public Client acquire(URI target) {
				return client;
			}

			@Override
			public void release(Client released) {
			}

		};
	}

}
