package io.github.etcdgrpclb.etcd;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;

/**
 * What the etcd state machines (registrar, election) need from etcd beyond a {@link PrefixSource}:
 * leases, keys on a lease, and a watch of one key. Production code uses {@link #of(Client, Duration)};
 * unit tests drive the state machines through their failure paths with a fake, without an etcd.
 */
public interface EtcdSource extends PrefixSource {

	/**
	 * @param ttl the lease's time to live (whole seconds, rounded up)
	 * @return the granted lease's id
	 */
	CompletableFuture<Long> grant(Duration ttl);

	/**
	 * Revokes a lease, which deletes every key on it at once.
	 * @param lease the lease
	 * @return completes when etcd confirmed it
	 */
	CompletableFuture<Void> revoke(long lease);

	/**
	 * Keeps a granted lease alive with the streaming keep-alive.
	 * @param lease the lease
	 * @param listener told of keep-alives (on any thread) and, once, of the loss
	 * @return the running keep-alive
	 */
	KeepAlive keepAlive(long lease, LeaseKeepAlive.Listener listener);

	/**
	 * @param key the key
	 * @param value its value
	 * @param lease the lease it lives on
	 * @return the revision of the put
	 */
	CompletableFuture<Long> put(String key, String value, long lease);

	/**
	 * Puts and deletes keys in one transaction: all or nothing, one revision.
	 * @param puts key -> value, each on the lease
	 * @param deletes keys to delete
	 * @param lease the lease the puts live on
	 * @return the transaction's revision
	 */
	CompletableFuture<Long> putAll(Map<String, String> puts, Set<String> deletes, long lease);

	/**
	 * Puts the key only when it does not exist (the first step of Go's {@code concurrency.Election}).
	 * @param key the key
	 * @param value its value
	 * @param lease the lease it lives on
	 * @return the key's create revision: the put's, or that of the key already there
	 */
	CompletableFuture<Long> create(String key, String value, long lease);

	/**
	 * Watches one key with require-leader.
	 * @param key the key
	 * @param fromRevision the first revision to report
	 * @param listener gets the responses, then an error or a completion when the watch ends
	 * @return the watch, to close
	 */
	Watch.Watcher watchKey(String key, long fromRevision, Watch.Listener listener);

	/** A running keep-alive: closing it stops it without telling the listener. */
	interface KeepAlive extends AutoCloseable {

		@Override
		void close();

	}

	/**
	 * @param client the etcd client
	 * @param requestTimeout how long one request may take: without a bound, jetcd waits for a ready
	 * connection forever and a state machine waiting on an unreachable etcd would never retry
	 * @return the source of that client
	 */
	static EtcdSource of(Client client, Duration requestTimeout) {
		PrefixSource prefixes = PrefixSource.of(client);
		long timeoutMillis = requestTimeout.toMillis();
		return new EtcdSource() {

			@Override
			public CompletableFuture<Long> grant(Duration ttl) {
				return client.getLeaseClient()
					.grant(LeaseTtl.seconds(ttl))
					.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
					.thenApply((grant) -> grant.getID());
			}

			@Override
			public CompletableFuture<Void> revoke(long lease) {
				return client.getLeaseClient()
					.revoke(lease)
					.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
					.thenApply((revoked) -> null);
			}

			@Override
			public KeepAlive keepAlive(long lease, LeaseKeepAlive.Listener listener) {
				return LeaseKeepAlive.start(client, lease, listener);
			}

			@Override
			public CompletableFuture<Long> put(String key, String value, long lease) {
				return client.getKVClient()
					.put(bytes(key), bytes(value), PutOption.builder().withLeaseId(lease).build())
					.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
					.thenApply((put) -> put.getHeader().getRevision());
			}

			@Override
			public CompletableFuture<Long> putAll(Map<String, String> puts, Set<String> deletes, long lease) {
				PutOption onLease = PutOption.builder().withLeaseId(lease).build();
				List<Op> ops = new ArrayList<>();
				puts.forEach((key, value) -> ops.add(Op.put(bytes(key), bytes(value), onLease)));
				deletes.forEach((key) -> ops.add(Op.delete(bytes(key), DeleteOption.DEFAULT)));
				return client.getKVClient()
					.txn()
					.Then(ops.toArray(Op[]::new))
					.commit()
					.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
					.thenApply((txn) -> txn.getHeader().getRevision());
			}

			@Override
			public CompletableFuture<Long> create(String key, String value, long lease) {
				ByteSequence name = bytes(key);
				return client.getKVClient()
					.txn()
					.If(new Cmp(name, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
					.Then(Op.put(name, bytes(value), PutOption.builder().withLeaseId(lease).build()))
					.Else(Op.get(name, GetOption.DEFAULT))
					.commit()
					.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
					.thenApply((txn) -> txn.isSucceeded() ? txn.getHeader().getRevision()
							: txn.getGetResponses().get(0).getKvs().get(0).getCreateRevision());
			}

			@Override
			public Watch.Watcher watchKey(String key, long fromRevision, Watch.Listener listener) {
				WatchOption option = WatchOption.builder().withRevision(fromRevision).withRequireLeader(true).build();
				return client.getWatchClient().watch(bytes(key), option, listener);
			}

			@Override
			public CompletableFuture<io.etcd.jetcd.kv.GetResponse> list(String prefix) {
				return prefixes.list(prefix);
			}

			@Override
			public Watch.Watcher watch(String prefix, long fromRevision, Watch.Listener listener) {
				return prefixes.watch(prefix, fromRevision, listener);
			}

			@Override
			public void reconnectNow() {
				prefixes.reconnectNow();
			}

		};
	}

}
