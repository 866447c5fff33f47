package io.github.etcdgrpclb.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.github.etcdgrpclb.etcd.PrefixSource;

/**
 * An etcd that answers only when the test says so: each list is a future the test completes or
 * fails, each watch a {@link FakeWatch} the test sends events, errors or a completion through.
 */
public class FakePrefixSource implements PrefixSource {

	private final List<CompletableFuture<GetResponse>> lists = new ArrayList<>();

	private final List<String> listedPrefixes = new ArrayList<>();

	private final List<FakeWatch> watches = new ArrayList<>();

	private int reconnects;

	@Override
	public CompletableFuture<GetResponse> list(String prefix) {
		CompletableFuture<GetResponse> list = new CompletableFuture<>();
		this.lists.add(list);
		this.listedPrefixes.add(prefix);
		return list;
	}

	@Override
	public Watch.Watcher watch(String prefix, long fromRevision, Watch.Listener listener) {
		FakeWatch watch = new FakeWatch(prefix, fromRevision, listener);
		this.watches.add(watch);
		return watch;
	}

	@Override
	public void reconnectNow() {
		this.reconnects++;
	}

	/** @return how many lists were asked for */
	public int listCount() {
		return this.lists.size();
	}

	/** @return the latest list, to answer */
	public CompletableFuture<GetResponse> lastList() {
		return this.lists.get(this.lists.size() - 1);
	}

	/** @return how many lists of that prefix were asked for */
	public int listCount(String prefix) {
		return (int) this.listedPrefixes.stream().filter(prefix::equals).count();
	}

	/** @return the latest list of that prefix, to answer */
	public CompletableFuture<GetResponse> lastList(String prefix) {
		for (int i = this.lists.size() - 1; i >= 0; i--) {
			if (this.listedPrefixes.get(i).equals(prefix)) {
				return this.lists.get(i);
			}
		}
		throw new AssertionError("No list of " + prefix + " among " + this.listedPrefixes);
	}

	/** @return the latest watch of that prefix */
	public FakeWatch lastWatch(String prefix) {
		for (int i = this.watches.size() - 1; i >= 0; i--) {
			if (this.watches.get(i).prefix.equals(prefix)) {
				return this.watches.get(i);
			}
		}
		throw new AssertionError("No watch of " + prefix);
	}

	/** @return how many watches of that prefix were opened */
	public int watchCount(String prefix) {
		return (int) this.watches.stream().filter((watch) -> watch.prefix.equals(prefix)).count();
	}

	/** @return how many watches were opened */
	public int watchCount() {
		return this.watches.size();
	}

	/** @return the latest watch */
	public FakeWatch lastWatch() {
		return this.watches.get(this.watches.size() - 1);
	}

	/** @return how often an immediate reconnect was asked for */
	public int reconnects() {
		return this.reconnects;
	}

	/** One watch of the prefix. */
	public static final class FakeWatch implements Watch.Watcher {

		private final String prefix;

		private final long fromRevision;

		private final Watch.Listener listener;

		private boolean closed;

		FakeWatch(String prefix, long fromRevision, Watch.Listener listener) {
			this.prefix = prefix;
			this.fromRevision = fromRevision;
			this.listener = listener;
		}

		/** @return the first revision it was asked to report */
		public long fromRevision() {
			return this.fromRevision;
		}

		@Override
		public boolean isClosed() {
			return this.closed;
		}

		/** Sends one watch response with these events. */
		public void send(List<WatchEvent> events) {
			WatchResponse response = new WatchResponse(io.etcd.jetcd.api.WatchResponse.getDefaultInstance()) {

				@Override
				public synchronized List<WatchEvent> getEvents() {
					return events;
				}

			};
			this.listener.onNext(response);
		}

		/** Ends the watch with an error, as jetcd does. */
		public void fail(Throwable error) {
			this.listener.onError(error);
		}

		/** Ends the watch without an error. */
		public void complete() {
			this.listener.onCompleted();
		}

		@Override
		public void close() {
			this.closed = true;
		}

		@Override
		public void requestProgress() {
		}

	}

}
