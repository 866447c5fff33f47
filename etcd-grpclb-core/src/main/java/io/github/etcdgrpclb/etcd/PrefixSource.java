package io.github.etcdgrpclb.etcd;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;

/**
 * What a {@link PrefixWatch} needs from etcd: a list of a prefix, a watch of it, and a way to
 * reconnect at once. Production code uses {@link #of(Client)}; unit tests drive a prefix watch
 * through its failure paths with a fake, without an etcd.
 */
public interface PrefixSource {

	/**
	 * @param prefix the key prefix
	 * @return the prefix's keys and values with the revision they are at
	 */
	CompletableFuture<GetResponse> list(String prefix);

	/**
	 * Watches the prefix with require-leader (a member cut off from its leader cancels the watch
	 * instead of going silent).
	 * @param prefix the key prefix
	 * @param fromRevision the first revision to report
	 * @param listener gets the responses, then an error or a completion when the watch ends
	 * @return the watch, to close
	 */
	Watch.Watcher watch(String prefix, long fromRevision, Watch.Listener listener);

	/** Asks the client to reconnect now rather than after gRPC's reconnect backoff. */
	void reconnectNow();

	/**
	 * @param client the etcd client
	 * @return the prefix source of that client
	 */
	static PrefixSource of(Client client) {
		return new PrefixSource() {

			@Override
			public CompletableFuture<GetResponse> list(String prefix) {
				return client.getKVClient().get(bytes(prefix), GetOption.builder().isPrefix(true).build());
			}

			@Override
			public Watch.Watcher watch(String prefix, long fromRevision, Watch.Listener listener) {
				WatchOption option = WatchOption.builder()
					.isPrefix(true)
					.withRevision(fromRevision)
					.withRequireLeader(true)
					.build();
				return client.getWatchClient().watch(bytes(prefix), option, listener);
			}

			@Override
			public void reconnectNow() {
				EtcdChannels.resetConnectBackoff(client);
			}

		};
	}

}
