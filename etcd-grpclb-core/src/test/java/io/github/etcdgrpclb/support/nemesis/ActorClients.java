package io.github.etcdgrpclb.support.nemesis;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.github.etcdgrpclb.etcd.EtcdClientDefaults;

/**
 * The etcd client of an actor process: the endpoints it is given, and the credentials of the
 * system properties {@code nemesis.user} / {@code nemesis.password} when the cluster has auth.
 */
public final class ActorClients {

	private ActorClients() {
	}

	public static Client client(String endpoints) {
		ClientBuilder builder = EtcdClientDefaults.apply(Client.builder()).endpoints(endpoints.split(","));
		String user = System.getProperty("nemesis.user");
		if (user != null) {
			builder.user(bytes(user)).password(bytes(System.getProperty("nemesis.password")));
		}
		return builder.build();
	}

	/** Prints one history line, flushed at once: the process may be killed at any moment. */
	public static void record(String line) {
		System.out.println(line);
		System.out.flush();
	}

}
