package io.github.etcdgrpclb.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.Watch;
import io.github.etcdgrpclb.etcd.EtcdSource;
import io.github.etcdgrpclb.etcd.LeaseKeepAlive;

/**
 * An etcd that answers only when the test says so, for the state machines that hold leases (the
 * registrar, the election): every request is recorded in {@link #history()} and waits as a
 * {@link Request} the test completes or fails; keep-alives and key watches are driven by hand.
 */
public final class FakeEtcd extends FakePrefixSource implements EtcdSource {

	private final List<String> history = new ArrayList<>();

	private final List<Request> pending = new ArrayList<>();

	private final Map<Long, FakeKeepAlive> keepAlives = new HashMap<>();

	private final Map<String, List<FakeWatch>> keyWatches = new HashMap<>();

	/** One request etcd has not answered yet. */
	public final class Request {

		private final String description;

		private final CompletableFuture<Long> answer = new CompletableFuture<>();

		private Request(String description) {
			this.description = description;
		}

		/** Answers it (a lease id, a revision; anything for a revoke). */
		public void answer(long value) {
			FakeEtcd.this.pending.remove(this);
			this.answer.complete(value);
		}

		/** Fails it, as jetcd would report etcd's error. */
		public void fail(Throwable error) {
			FakeEtcd.this.pending.remove(this);
			this.answer.completeExceptionally(error);
		}

		@Override
		public String toString() {
			return this.description;
		}

	}

	/** @return every request and stream opened or closed, in order, as "grant 5s", "put /k=1 on 7"... */
	public List<String> history() {
		return List.copyOf(this.history);
	}

	/**
	 * @param description the start of a request's description, e.g. "grant" or "put /grpclb/svc/h:1"
	 * @return the oldest unanswered request that fits
	 * @throws AssertionError when none does
	 */
	public Request pending(String description) {
		return this.pending.stream()
			.filter((request) -> request.description.startsWith(description))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No pending '" + description + "' in " + this.pending));
	}

	/** @return the descriptions of the requests not answered yet */
	public List<String> pendingRequests() {
		return this.pending.stream().map(Request::toString).toList();
	}

	/** @return the keep-alive of the lease (the latest one started) */
	public FakeKeepAlive keepAliveOf(long lease) {
		FakeKeepAlive keepAlive = this.keepAlives.get(lease);
		if (keepAlive == null) {
			throw new AssertionError("No keep-alive of lease " + lease + " in " + this.history);
		}
		return keepAlive;
	}

	/** @return the latest watch of the key */
	public FakeWatch lastWatchOf(String key) {
		List<FakeWatch> watches = this.keyWatches.getOrDefault(key, List.of());
		if (watches.isEmpty()) {
			throw new AssertionError("No watch of " + key + " in " + this.history);
		}
		return watches.get(watches.size() - 1);
	}

	@Override
	public CompletableFuture<Long> grant(Duration ttl) {
		return request("grant " + ttl.toSeconds() + "s");
	}

	@Override
	public CompletableFuture<Void> revoke(long lease) {
		return request("revoke " + lease).thenApply((ignored) -> null);
	}

	@Override
	public KeepAlive keepAlive(long lease, LeaseKeepAlive.Listener listener) {
		this.history.add("keepAlive " + lease);
		FakeKeepAlive keepAlive = new FakeKeepAlive(lease, listener);
		this.keepAlives.put(lease, keepAlive);
		return keepAlive;
	}

	@Override
	public CompletableFuture<Long> put(String key, String value, long lease) {
		return request("put " + key + "=" + value + " on " + lease);
	}

	@Override
	public CompletableFuture<Long> putAll(Map<String, String> puts, Set<String> deletes, long lease) {
		StringBuilder description = new StringBuilder("putAll");
		puts.forEach((key, value) -> description.append(' ').append(key).append('=').append(value));
		deletes.stream().sorted().forEach((key) -> description.append(" delete ").append(key));
		return request(description.append(" on ").append(lease).toString());
	}

	@Override
	public CompletableFuture<Long> create(String key, String value, long lease) {
		return request("create " + key + "=" + value + " on " + lease);
	}

	@Override
	public Watch.Watcher watchKey(String key, long fromRevision, Watch.Listener listener) {
		this.history.add("watchKey " + key + " from " + fromRevision);
		FakeWatch watch = new FakeWatch(key, fromRevision, listener);
		this.keyWatches.computeIfAbsent(key, (ignored) -> new ArrayList<>()).add(watch);
		return watch;
	}

	private CompletableFuture<Long> request(String description) {
		this.history.add(description);
		Request request = new Request(description);
		this.pending.add(request);
		return request.answer;
	}

	/** A keep-alive stream the test drives. */
	public final class FakeKeepAlive implements KeepAlive {

		private final long lease;

		private final LeaseKeepAlive.Listener listener;

		private boolean closed;

		FakeKeepAlive(long lease, LeaseKeepAlive.Listener listener) {
			this.lease = lease;
			this.listener = listener;
		}

		/** etcd confirmed the lease. */
		public void alive() {
			this.listener.alive();
		}

		/** The lease is gone for good (jetcd's completion, or NOT_FOUND). */
		public void lost(String reason) {
			this.listener.lost(reason);
		}

		/** @return whether the owner closed it */
		public boolean isClosed() {
			return this.closed;
		}

		@Override
		public void close() {
			if (!this.closed) {
				this.closed = true;
				FakeEtcd.this.history.add("close keepAlive " + this.lease);
			}
		}

	}

}
