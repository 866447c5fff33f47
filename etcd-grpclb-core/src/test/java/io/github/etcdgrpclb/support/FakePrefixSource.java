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

	private final List<FakeWatch> watches = new ArrayList<>();

	private int reconnects;

	@Override
	public CompletableFuture<GetResponse> list(String prefix) {
		CompletableFuture<GetResponse> list = new CompletableFuture<>();
		this.lists.add(list);
		return list;
	}

	@Override
	public Watch.Watcher watch(String prefix, long fromRevision, Watch.Listener listener) {
		FakeWatch watch = new FakeWatch(fromRevision, listener);
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

		private final long fromRevision;

		private final Watch.Listener listener;

		private boolean closed;

		FakeWatch(long fromRevision, Watch.Listener listener) {
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
