package io.github.etcdgrpclb.registry;

import static io.github.etcdgrpclb.support.EtcdData.delete;
import static io.github.etcdgrpclb.support.EtcdData.events;
import static io.github.etcdgrpclb.support.EtcdData.listed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.github.etcdgrpclb.etcd.Backoff;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.github.etcdgrpclb.support.FakeEtcd;
import io.github.etcdgrpclb.support.FakeTimer;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registrar's state machine through its failure paths without an etcd (DESIGN failure modes 1-3,
 * 9, 10 in docs/ARCHITECTURE.md): a fake etcd that answers when the test says, a fake timer, a real
 * SynchronizationContext that fails the test on any exception. Each test checks the history of
 * requests the registrar made, in order.
 */
class RegistrationKeeperTests {

	private static final RegistryEntry ENTRY = new RegistryEntry("/grpclb", "svc", "10.0.0.5", 9001, 3);

	private static final String KEY = "/grpclb/svc/10.0.0.5:9001";

	private static final String META_KEY = "/grpclb-meta/svc/10.0.0.5:9001";

	private static final String OPS_KEY = "/grpclb-ops/svc/10.0.0.5:9001";

	/** Backoff.standard() waits 200 ms (±20 %) first and 2 s (±20 %) at most. */
	private static final Duration BELOW_FIRST_RETRY = Duration.ofMillis(150);

	private static final Duration ABOVE_LONGEST_RETRY = Duration.ofMillis(2500);

	private static final Throwable UNAVAILABLE = Status.UNAVAILABLE.withDescription("connection refused")
		.asRuntimeException();

	private static final Throwable LEASE_NOT_FOUND = EtcdExceptionFactory
		.toEtcdException(Status.NOT_FOUND.withDescription("etcdserver: requested lease not found"));

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
	void startShouldGrantPutOnTheLeaseKeepItAliveAndWatchTheOwnKey() {
		CompletableFuture<Void> registered = this.keeper.start();
		noOverride();
		this.etcd.pending("grant").answer(7);
		assertThat(registered).as("not before the put").isNotDone();

		this.etcd.pending("put").answer(10);

		assertThat(registered).isCompleted();
		assertThat(this.etcd.history()).containsExactly("grant 5s", "put " + KEY + "=3 on 7", "keepAlive 7",
				"watchKey " + KEY + " from 11");
		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.REGISTERED);
		assertThat(this.keeper.status().leaseId()).isEqualTo(7);
	}

	@Test
	void failedGrantsShouldBeRetriedWithBackoffUntilEtcdAnswers() {
		CompletableFuture<Void> registered = this.keeper.start();
		noOverride();
		this.etcd.pending("grant").fail(UNAVAILABLE);
		this.timer.forward(BELOW_FIRST_RETRY);
		assertThat(this.etcd.history()).as("no retry before the backoff").containsExactly("grant 5s");

		for (int failure = 2; failure <= 20; failure++) {
			this.timer.forward(ABOVE_LONGEST_RETRY);
			this.etcd.pending("grant").fail(UNAVAILABLE);
		}
		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.REGISTERING);
		assertThat(this.keeper.status().lastError()).isEqualTo("lease grant failed: UNAVAILABLE: connection refused");
		assertThat(this.etcd.reconnects()).as("each retry asks the client to reconnect at once")
			.isGreaterThanOrEqualTo(19);
		this.timer.forward(ABOVE_LONGEST_RETRY);
		this.etcd.pending("grant").answer(7);
		this.etcd.pending("put").answer(10);

		assertThat(this.etcd.history()).filteredOn((line) -> line.startsWith("grant")).hasSize(21);
		assertThat(registered).isCompleted();
		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.REGISTERED);
	}

	@Test
	void grantWaitingOnAnUnreachableEtcdShouldKeepAskingTheClientToReconnect() {
		this.keeper.start();
		noOverride();
		this.timer.forward(Duration.ofMillis(1600));
		assertThat(this.etcd.reconnects()).isEqualTo(3);

		this.etcd.pending("grant").answer(7);
		this.timer.forward(Duration.ofSeconds(5));
		assertThat(this.etcd.reconnects()).as("no ticks once etcd answered").isEqualTo(3);
	}

	@Test
	void lostLeaseShouldRegisterAgainOnANewLeaseAndRevokeTheOldOneOnlyOnceTheKeyMoved() {
		register(7, 10);
		this.etcd.keepAliveOf(7).lost("keep-alive ended: no answer from etcd within the TTL");

		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.RECONNECTING);
		assertThat(this.keeper.status().reRegistrations()).isEqualTo(1);
		this.etcd.pending("grant").answer(8);
		assertThat(this.etcd.history()).as("a restarted etcd may still hold our key on lease 7")
			.doesNotContain("revoke 7");
		this.etcd.pending("put " + KEY + "=3 on 8").answer(20);

		assertThat(this.etcd.history()).endsWith("put " + KEY + "=3 on 8", "revoke 7", "keepAlive 8",
				"watchKey " + KEY + " from 21");
		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.REGISTERED);
		assertThat(this.keeper.status().leaseId()).isEqualTo(8);
	}

	@Test
	void leaseNotFoundOnAWeightUpdateShouldRegisterAgainWithTheNewWeight() {
		register(7, 10);
		CompletableFuture<Void> updated = this.keeper.updateWeight(5);
		this.etcd.pending("put " + KEY + "=5 on 7").fail(LEASE_NOT_FOUND);

		assertThat(updated).isCompletedExceptionally();
		this.etcd.pending("grant").answer(8);
		this.etcd.pending("put " + KEY + "=5 on 8").answer(20);
		assertThat(this.keeper.status().leaseId()).isEqualTo(8);
		assertThat(this.keeper.status().registration().weight()).isEqualTo(5);
	}

	@Test
	void ownKeyDeletedUnderALiveLeaseShouldBePutBackOnThatLease() {
		register(7, 10);
		this.etcd.lastWatchOf(KEY).send(events(delete(KEY, 12)));

		this.etcd.pending("put " + KEY + "=3 on 7").answer(13);

		assertThat(this.etcd.history()).endsWith("put " + KEY + "=3 on 7", "watchKey " + KEY + " from 14");
		assertThat(this.etcd.history()).filteredOn((line) -> line.startsWith("grant")).hasSize(1);
	}

	@Test
	void ownKeyWatchCompactedShouldPutTheKeyAgainAndWatchFromThere() {
		register(7, 10);
		this.etcd.lastWatchOf(KEY)
			.fail(EtcdExceptionFactory.newCompactedException(50));

		this.etcd.pending("put " + KEY + "=3 on 7").answer(60);

		assertThat(this.etcd.history()).endsWith("watchKey " + KEY + " from 61");
	}

	@Test
	void putBackOnALeaseThatDiedMeanwhileShouldRegisterOnANewLease() {
		register(7, 10);
		this.etcd.lastWatchOf(KEY).send(events(delete(KEY, 12)));
		this.etcd.pending("put " + KEY + "=3 on 7").fail(LEASE_NOT_FOUND);

		this.etcd.pending("grant").answer(8);
		this.etcd.pending("put " + KEY + "=3 on 8").answer(20);

		assertThat(this.keeper.status().leaseId()).isEqualTo(8);
		assertThat(this.etcd.history()).contains("revoke 7");
	}

	@Test
	void putFailingOnAnExpiredAuthTokenShouldRevokeItsLeaseAndRegisterAgain() {
		this.keeper.start();
		noOverride();
		this.etcd.pending("grant").answer(7);
		this.etcd.pending("put")
			.fail(Status.UNAUTHENTICATED.withDescription("etcdserver: invalid auth token").asRuntimeException());

		assertThat(this.etcd.history()).endsWith("revoke 7");
		assertThat(this.keeper.status().lastError()).isEqualTo("put failed: UNAUTHENTICATED: etcdserver: invalid auth token");
		this.timer.forward(ABOVE_LONGEST_RETRY);
		this.etcd.pending("grant").answer(8);
		this.etcd.pending("put " + KEY + "=3 on 8").answer(20);
		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.REGISTERED);
	}

	@Test
	void deregisterWhileTheGrantIsUnderWayShouldRevokeTheLeaseThatArrivesLate() {
		this.keeper.start();
		noOverride();
		CompletableFuture<Boolean> revoked = this.keeper.deregisterAsync();
		assertThat(revoked).isCompletedWithValue(true);

		this.etcd.pending("grant").answer(7);

		assertThat(this.etcd.history()).containsExactly("grant 5s", "revoke 7");
		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.DEREGISTERED);
	}

	@Test
	void deregisterShouldStopTheStreamsRevokeTheLeaseAndIgnoreLateCallbacks() {
		register(7, 10);
		CompletableFuture<Boolean> revoked = this.keeper.deregisterAsync();
		assertThat(this.etcd.history()).endsWith("close keepAlive 7", "revoke 7");
		assertThat(this.etcd.lastWatchOf(KEY).isClosed()).isTrue();
		this.etcd.pending("revoke 7").answer(0);
		assertThat(revoked).isCompletedWithValue(true);

		this.etcd.keepAliveOf(7).lost("keep-alive: lease not found");
		this.timer.forward(ABOVE_LONGEST_RETRY);
		assertThat(this.etcd.pendingRequests()).isEmpty();
		assertThat(this.timer.pendingTasks()).isZero();
		assertThat(this.keeper.status().state()).isEqualTo(RegistrationState.DEREGISTERED);
	}

	@Test
	void deregisterWhileReRegisteringShouldRevokeTheAbandonedLeaseAndTheNewOne() {
		register(7, 10);
		this.etcd.keepAliveOf(7).lost("keep-alive ended: no answer from etcd within the TTL");
		this.keeper.deregisterAsync();
		assertThat(this.etcd.history()).as("the key may still be on lease 7").endsWith("revoke 7");

		this.etcd.pending("grant").answer(8);

		assertThat(this.etcd.history()).endsWith("revoke 7", "revoke 8");
	}

	@Test
	void failedRevokeShouldBeReportedSoTheCallerKnowsTheKeyExpiresWithTheTtl() {
		register(7, 10);
		CompletableFuture<Boolean> revoked = this.keeper.deregisterAsync();
		this.etcd.pending("revoke 7").fail(UNAVAILABLE);
		assertThat(revoked).isCompletedWithValue(false);
	}

	@Test
	void startAfterDeregisterShouldRegisterAgain() {
		register(7, 10);
		this.keeper.deregisterAsync();
		this.etcd.pending("revoke 7").answer(0);

		register(8, 20);
		assertThat(this.keeper.status().leaseId()).isEqualTo(8);
	}

	@Test
	void closedRegistrarShouldRefuseToStartAndLeaveNoTimerBehind() {
		register(7, 10);
		this.keeper.deregisterAsync();
		this.etcd.pending("revoke 7").answer(0);
		this.keeper.close();

		assertThat(this.timer.isShutdown()).isTrue();
		assertThatIllegalStateException().isThrownBy(this.keeper::start).withMessageContaining("closed");
	}

	@Test
	void metadataShouldBePutBesideTheKeyOnTheSameLeaseInOneTransaction() {
		RegistrationKeeper withMetadata = new RegistrationKeeper(this.etcd,
				ENTRY.withMetadata(new InstanceMetadata(Map.of("zone", "a", "tags", "canary"))), Duration.ofSeconds(5),
				Backoff.standard(), Duration.ofSeconds(1), this.syncContext, this.timer);
		withMetadata.start();
		noOverride();
		this.etcd.pending("grant").answer(7);
		this.etcd.pending("putAll").answer(10);

		assertThat(this.etcd.history()).containsExactly("grant 5s",
				"putAll " + KEY + "=3 " + META_KEY + "={\"tags\":\"canary\",\"zone\":\"a\"} on 7", "keepAlive 7",
				"watchKey " + KEY + " from 11");
		assertThat(withMetadata.status().state()).isEqualTo(RegistrationState.REGISTERED);
	}

	@Test
	void metadataChangedLiveShouldBePutOnTheSameLeaseAndRemovedWhenEmpty() {
		register(7, 10);
		CompletableFuture<Void> zoned = this.keeper.updateMetadata(new InstanceMetadata(Map.of("zone", "b")));
		this.etcd.pending("putAll " + KEY + "=3 " + META_KEY + "={\"zone\":\"b\"} on 7").answer(11);
		assertThat(zoned).isCompleted();

		CompletableFuture<Void> cleared = this.keeper.updateMetadata(InstanceMetadata.NONE);
		this.etcd.pending("putAll " + KEY + "=3 delete " + META_KEY + " on 7").answer(12);
		assertThat(cleared).isCompleted();

		this.keeper.updateWeight(4);
		assertThat(this.etcd.history()).as("no metadata: the tutorial's single put again").endsWith("put " + KEY + "=4 on 7");
	}

	private void register(long lease, long revision) {
		this.keeper.start();
		noOverride();
		this.etcd.pending("grant").answer(lease);
		this.etcd.pending("put").answer(revision);
	}

	/** Answers the read of the operator's key: there is none. */
	private void noOverride() {
		this.etcd.lastList(OPS_KEY).complete(listed(5));
	}

}
