package io.github.etcdgrpclb.etcd;

import static io.github.etcdgrpclb.support.EtcdData.delete;
import static io.github.etcdgrpclb.support.EtcdData.events;
import static io.github.etcdgrpclb.support.EtcdData.kv;
import static io.github.etcdgrpclb.support.EtcdData.listed;
import static io.github.etcdgrpclb.support.EtcdData.put;
import static io.github.etcdgrpclb.support.EtcdData.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdgrpclb.support.FakePrefixSource;
import io.github.etcdgrpclb.support.FakeTimer;
import io.grpc.SynchronizationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PrefixWatch} through its failure paths without an etcd, in the style of grpc-java's
 * {@code DnsNameResolverTest}: a fake etcd answers when the test says, a fake timer moves when the
 * test says, and a real SynchronizationContext fails the test on any exception. Each test checks
 * the history its owner was told, in order.
 */
class PrefixWatchTests {

	private static final String PREFIX = "/grpclb/svc/";

	/** Backoff.standard() waits 200 ms (±20 %) first and 2 s (±20 %) at most. */
	private static final Duration BELOW_FIRST_RETRY = Duration.ofMillis(150);

	/** Past the first two retries (240 and 384 ms at most), before any list times out (1 s at first). */
	private static final Duration PAST_EARLY_RETRIES = Duration.ofMillis(500);

	private static final Duration RESYNC = Duration.ofMinutes(5);

	private final List<Throwable> uncaught = new ArrayList<>();

	private final SynchronizationContext syncContext = new SynchronizationContext(
			(thread, error) -> this.uncaught.add(error));

	private final FakeTimer timer = new FakeTimer();

	private final FakePrefixSource etcd = new FakePrefixSource();

	private final History history = new History();

	private final PrefixWatch watch = new PrefixWatch(this.etcd, PREFIX, Duration.ofSeconds(5), RESYNC,
			this.syncContext, this.timer, this.history);

	@AfterEach
	void noUncaughtErrors() {
		assertThat(this.uncaught).isEmpty();
	}

	@Test
	void startShouldListThenWatchFromTheListsRevisionPlusOne() {
		this.syncContext.execute(this.watch::start);
		assertThat(this.etcd.listCount()).isEqualTo(1);
		assertThat(this.etcd.watchCount()).isZero();

		this.etcd.lastList().complete(listed(10, kv(PREFIX + "a:1", "3", 7)));

		assertThat(this.history.lines).containsExactly("listed at 10: [" + PREFIX + "a:1]");
		assertThat(this.etcd.watchCount()).isEqualTo(1);
		assertThat(this.etcd.lastWatch().fromRevision()).isEqualTo(11);
	}

	@Test
	void failedListsShouldTellEtcdLostOnceRetryWithBackoffAndTellEtcdBackOnce() {
		this.syncContext.execute(this.watch::start);
		this.etcd.lastList().completeExceptionally(new IllegalStateException("connection refused"));
		this.timer.forward(BELOW_FIRST_RETRY);
		assertThat(this.etcd.listCount()).as("no retry before the backoff").isEqualTo(1);

		this.timer.forward(PAST_EARLY_RETRIES);
		assertThat(this.etcd.listCount()).isEqualTo(2);
		assertThat(this.etcd.reconnects()).as("each retry reconnects at once").isEqualTo(1);
		this.etcd.lastList().completeExceptionally(new IllegalStateException("connection refused"));
		this.timer.forward(PAST_EARLY_RETRIES);
		this.etcd.lastList().complete(listed(4));

		assertThat(this.history.lines).containsExactly("list failed", "etcd lost", "list failed",
				"listed at 4: []", "etcd back");
		assertThat(this.etcd.lastWatch().fromRevision()).isEqualTo(5);
	}

	@Test
	void compactedWatchShouldListAgainAtOnceAndWatchFromTheNewList() {
		watching(10);
		FakePrefixSource.FakeWatch compacted = this.etcd.lastWatch();

		compacted.fail(EtcdExceptionFactory.newCompactedException(20));

		assertThat(compacted.isClosed()).isTrue();
		assertThat(this.etcd.listCount()).as("listed again without waiting").isEqualTo(2);
		this.etcd.lastList().complete(listed(30, kv(PREFIX + "b:2", "1", 25)));
		assertThat(this.history.lines).containsExactly("listed at 10: []", "watch failed",
				"listed at 30: [" + PREFIX + "b:2]");
		assertThat(this.etcd.lastWatch().fromRevision()).isEqualTo(31);
	}

	@Test
	void endedWatchShouldListAgainAfterTheBackoff() {
		watching(10);

		this.etcd.lastWatch().complete();
		assertThat(this.etcd.listCount()).isEqualTo(1);
		this.timer.forward(PAST_EARLY_RETRIES);

		assertThat(this.etcd.listCount()).isEqualTo(2);
		assertThat(this.history.lines).containsExactly("listed at 10: []", "watch failed");
	}

	@Test
	void eventsShouldReachTheOwnerOnceEachEvenWhenJetcdReplaysThem() {
		watching(10);
		FakePrefixSource.FakeWatch watcher = this.etcd.lastWatch();

		watcher.send(events(put(PREFIX + "a:1", "2", 11), put(PREFIX + "b:2", "1", 12)));
		// after a reconnect jetcd may send the last event again, and an older one with it
		watcher.send(events(put(PREFIX + "b:2", "1", 12), delete(PREFIX + "a:1", 13)));

		assertThat(this.history.lines).containsExactly("listed at 10: []",
				"changed to 12: [PUT " + PREFIX + "a:1, PUT " + PREFIX + "b:2]",
				"changed to 13: [DELETE " + PREFIX + "a:1]");
	}

	@Test
	void resyncShouldListEveryIntervalAndKeepTheWatchWhileRevisionsGrow() {
		watching(10);
		this.etcd.lastWatch().send(events(put(PREFIX + "a:1", "2", 15)));

		this.timer.forward(RESYNC);
		assertThat(this.etcd.listCount()).isEqualTo(2);
		this.etcd.lastList().complete(listed(15, kv(PREFIX + "a:1", "2", 15)));

		assertThat(this.etcd.watchCount()).as("the watch is still good").isEqualTo(1);
		this.timer.forward(RESYNC);
		assertThat(this.etcd.listCount()).isEqualTo(3);
	}

	@Test
	void listBelowTheRevisionSeenShouldWatchTheNewRevisionsAfterAWipe() {
		watching(10);
		this.etcd.lastWatch().send(events(put(PREFIX + "a:1", "2", 40)));
		FakePrefixSource.FakeWatch beforeWipe = this.etcd.lastWatch();

		this.timer.forward(RESYNC);
		this.etcd.lastList().complete(listed(3));

		assertThat(beforeWipe.isClosed()).as("its revision 41 would never come").isTrue();
		assertThat(this.etcd.lastWatch().fromRevision()).isEqualTo(4);
	}

	@Test
	void listsWithoutAnswerShouldTimeOutAfterOneSecondThenTwiceAsLongAndIgnoreTheirLateAnswers() {
		// A member without a leader holds a list until etcd's own timeout: the client gives up sooner
		// and asks again (the next member), waiting longer each time in case etcd is only slow.
		this.syncContext.execute(this.watch::start);
		CompletableFuture<GetResponse> unanswered = this.etcd.lastList();
		this.timer.forward(Duration.ofMillis(990));
		assertThat(this.history.lines).as("the first list still waits").isEmpty();
		this.timer.forward(Duration.ofMillis(20));
		assertThat(this.history.lines).containsExactly("list failed", "etcd lost");

		this.timer.forward(PAST_EARLY_RETRIES);
		assertThat(this.etcd.listCount()).isEqualTo(2);
		unanswered.complete(listed(3));
		this.timer.forward(Duration.ofMillis(1600));
		assertThat(this.history.lines).as("late answer ignored, second list still waits").hasSize(2);
		this.timer.forward(Duration.ofMillis(200));
		assertThat(this.history.lines).containsExactly("list failed", "etcd lost", "list failed");

		this.timer.forward(PAST_EARLY_RETRIES);
		this.etcd.lastList().complete(listed(4));
		assertThat(this.history.lines).containsExactly("list failed", "etcd lost", "list failed",
				"listed at 4: []", "etcd back");
		assertThat(this.timer.pendingTasks()).as("only the resync is left").isEqualTo(1);
	}

	@Test
	void closeShouldStopRetriesAndResyncsAndIgnoreLateAnswers() {
		this.syncContext.execute(this.watch::start);
		GetResponse late = listed(10);

		this.syncContext.execute(this.watch::close);
		this.etcd.lastList().complete(late);
		this.timer.forward(RESYNC.multipliedBy(2));

		assertThat(this.history.lines).isEmpty();
		assertThat(this.etcd.listCount()).isEqualTo(1);
		assertThat(this.etcd.watchCount()).isZero();
		assertThat(this.timer.pendingTasks()).isZero();
	}

	private void watching(long revision) {
		this.syncContext.execute(this.watch::start);
		this.etcd.lastList().complete(listed(revision));
		assertThat(this.etcd.lastWatch().fromRevision()).isEqualTo(revision + 1);
	}

	/** What the owner was told, one line per call, in order. */
	private static final class History implements PrefixWatch.Listener {

		private final List<String> lines = new ArrayList<>();

		@Override
		public void listed(GetResponse response) {
			this.lines.add("listed at " + response.getHeader().getRevision() + ": "
					+ response.getKvs().stream().map((kv) -> text(kv.getKey())).toList());
		}

		@Override
		public void changed(List<WatchEvent> events, long revision) {
			this.lines.add("changed to " + revision + ": "
					+ events.stream().map((event) -> event.getEventType() + " " + text(event.getKeyValue().getKey())).toList());
		}

		@Override
		public void listFailed(String reason, Throwable error) {
			this.lines.add("list failed");
		}

		@Override
		public void watchFailed(Throwable error) {
			this.lines.add("watch failed");
		}

		@Override
		public void etcdLost(String reason) {
			this.lines.add("etcd lost");
		}

		@Override
		public void etcdBack() {
			this.lines.add("etcd back");
		}

	}

}
