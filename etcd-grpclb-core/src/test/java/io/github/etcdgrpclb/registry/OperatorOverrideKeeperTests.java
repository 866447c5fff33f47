package io.github.etcdgrpclb.registry;

import static io.github.etcdgrpclb.support.EtcdData.delete;
import static io.github.etcdgrpclb.support.EtcdData.events;
import static io.github.etcdgrpclb.support.EtcdData.kv;
import static io.github.etcdgrpclb.support.EtcdData.listed;
import static io.github.etcdgrpclb.support.EtcdData.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.etcdgrpclb.etcd.Backoff;
import io.github.etcdgrpclb.support.FakeEtcd;
import io.github.etcdgrpclb.support.FakeTimer;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registrar under an operator's override ({@link OperatorOverride}), without an etcd: the override
 * is read before the first put, a pinned drain keeps the key out from the start, and changes are
 * published on the same lease as plain integers (what the Go tutorial's clients read).
 */
class OperatorOverrideKeeperTests {

	private static final RegistryEntry ENTRY = new RegistryEntry("/grpclb", "svc", "10.0.0.5", 9001, 3);

	private static final String KEY = "/grpclb/svc/10.0.0.5:9001";

	private static final String OPS_KEY = "/grpclb-ops/svc/10.0.0.5:9001";

	private static final String DRAINED = new OperatorOverride(null, true, "admin", Instant.EPOCH).toJson();

	private final List<Throwable> uncaught = new ArrayList<>();

	private final SynchronizationContext syncContext = new SynchronizationContext(
			(thread, error) -> this.uncaught.add(error));

	private final FakeTimer timer = new FakeTimer();

	private final FakeEtcd etcd = new FakeEtcd();

	private final RegistrationKeeper keeper = new RegistrationKeeper(this.etcd, ENTRY, Duration.ofSeconds(5),
			Backoff.standard(), Duration.ofSeconds(1), this.syncContext, this.timer);

	@AfterEach
	void noUncaughtErrors() {
		assertThat(this.uncaught).isEmpty();
	}

	@Test
	void firstPutShouldWaitForTheOperatorsKeyAndAPinnedDrainShouldKeepTheKeyOut() {
		CompletableFuture<Void> registered = this.keeper.start();
		this.etcd.pending("grant").answer(7);
		assertThat(this.etcd.pendingRequests()).as("no put before the override is known").isEmpty();

		this.etcd.lastList(OPS_KEY).complete(listed(5, kv(OPS_KEY, DRAINED, 4)));
		this.etcd.pending("putAll delete " + KEY + " on 7").answer(10);

		assertThat(registered).isCompleted();
		assertThat(this.etcd.history()).containsExactly("grant 5s", "putAll delete " + KEY + " on 7", "keepAlive 7");
		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.DRAINED);
		assertThat(this.keeper.status().operatorOverride().by()).isEqualTo("admin");
	}

	@Test
	void weightSetByAnOperatorShouldBePublishedAsAPlainIntegerUntilTheOverrideIsRemoved() {
		register(7, 10);
		this.etcd.lastWatch(OPS_KEY).send(events(put(OPS_KEY, "{\"weight\":9,\"by\":\"admin\"}", 11)));
		this.etcd.pending("put " + KEY + "=9 on 7").answer(12);
		assertThat(this.keeper.status().registration().weight()).isEqualTo(9);

		this.keeper.updateWeight(4);
		assertThat(this.etcd.history()).as("the operator's weight stays published").endsWith("put " + KEY + "=9 on 7");
		this.etcd.pending("put " + KEY + "=9 on 7").answer(13);

		this.etcd.lastWatch(OPS_KEY).send(events(delete(OPS_KEY, 14)));
		this.etcd.pending("put " + KEY + "=4 on 7").answer(15);
		assertThat(this.keeper.status().registration().weight()).as("its own, changed meanwhile").isEqualTo(4);
		assertThat(this.keeper.status().operatorOverride().isNone()).isTrue();
	}

	@Test
	void drainShouldWithdrawTheKeyKeepTheLeaseAndBringItBackWhenUndrained() {
		register(7, 10);
		this.etcd.lastWatch(OPS_KEY).send(events(put(OPS_KEY, DRAINED, 11)));
		this.etcd.pending("putAll delete " + KEY + " on 7").answer(12);
		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.DRAINED);
		assertThat(this.etcd.lastWatchOf(KEY).isClosed()).as("no putting back of the withdrawn key").isTrue();
		assertThat(this.etcd.keepAliveOf(7).isClosed()).isFalse();

		this.etcd.lastWatch(OPS_KEY).send(events(put(OPS_KEY, "{\"drained\":false,\"by\":\"admin\"}", 13)));
		this.etcd.pending("put " + KEY + "=3 on 7").answer(14);

		assertThat(this.etcd.history()).endsWith("put " + KEY + "=3 on 7", "watchKey " + KEY + " from 15");
		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.REGISTERED);
		assertThat(this.etcd.history()).filteredOn((line) -> line.startsWith("grant")).hasSize(1);
	}

	@Test
	void valueThatIsNoOverrideShouldCountAsNoneSoTheServerStillRegisters() {
		this.keeper.start();
		this.etcd.lastList(OPS_KEY).complete(listed(5, kv(OPS_KEY, "drain please", 4)));
		this.etcd.pending("grant").answer(7);

		this.etcd.pending("put " + KEY + "=3 on 7").answer(10);
		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.REGISTERED);
	}

	@Test
	void roleThatCannotReadTheOperatorsKeyShouldRegisterAsBefore() {
		this.keeper.start();
		this.etcd.pending("grant").answer(7);
		this.etcd.lastList(OPS_KEY)
			.completeExceptionally(Status.PERMISSION_DENIED.withDescription("etcdserver: permission denied").asRuntimeException());

		this.etcd.pending("put " + KEY + "=3 on 7").answer(10);
		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.REGISTERED);
		this.timer.forward(Duration.ofMinutes(2));
		assertThat(this.etcd.listCount(OPS_KEY)).as("not read again").isOne();
	}

	@Test
	void longerAddressUnderTheSamePrefixShouldNotCount() {
		this.keeper.start();
		this.etcd.lastList(OPS_KEY).complete(listed(5, kv(OPS_KEY + "0", DRAINED, 4)));
		this.etcd.pending("grant").answer(7);

		this.etcd.pending("put " + KEY + "=3 on 7").answer(10);
		this.etcd.lastWatch(OPS_KEY).send(events(put(OPS_KEY + "1", DRAINED, 11)));
		assertThat(this.etcd.pendingRequests()).isEmpty();
		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.REGISTERED);
	}

	@Test
	void deregisterShouldStopFollowingTheOperatorsKeyAndReadItAgainOnTheNextStart() {
		register(7, 10);
		this.keeper.deregisterAsync();
		this.etcd.pending("revoke 7").answer(0);
		assertThat(this.etcd.lastWatch(OPS_KEY).isClosed()).isTrue();
		this.timer.forward(Duration.ofMinutes(2));
		assertThat(this.timer.pendingTasks()).as("no resync of a closed watch").isZero();

		this.keeper.start();
		this.etcd.pending("grant").answer(8);
		this.etcd.lastList(OPS_KEY).complete(listed(20, kv(OPS_KEY, DRAINED, 19)));
		this.etcd.pending("putAll delete " + KEY + " on 8").answer(21);
		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.DRAINED);
	}

	private void register(long lease, long revision) {
		this.keeper.start();
		this.etcd.lastList(OPS_KEY).complete(listed(5));
		this.etcd.pending("grant").answer(lease);
		this.etcd.pending("put").answer(revision);
	}

}
