package io.github.etcdgrpclb.election;

import static io.github.etcdgrpclb.support.EtcdData.delete;
import static io.github.etcdgrpclb.support.EtcdData.events;
import static io.github.etcdgrpclb.support.EtcdData.kv;
import static io.github.etcdgrpclb.support.EtcdData.listed;
import static io.github.etcdgrpclb.support.EtcdData.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.github.etcdgrpclb.support.FakeEtcd;
import io.github.etcdgrpclb.support.FakeTimer;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The election's state machine through its failure paths without an etcd: a fake etcd that answers
 * when the test says, a fake clock for the lease's validity, a real SynchronizationContext that fails
 * the test on any exception. Each test checks what the listener was told, in order, and the requests
 * made of etcd.
 */
class EtcdLeaderElectionTests {

	private static final String ELECTION = "/election/report";

	/** knownAlive = TTL - min(1 s, TTL/4) = 3 s. */
	private static final Duration TTL = Duration.ofSeconds(4);

	private static final long LEASE = 0x1a;

	private static final String MY_KEY = ELECTION + "/1a";

	private static final Duration ABOVE_LONGEST_RETRY = Duration.ofMillis(2500);

	private final List<Throwable> uncaught = new ArrayList<>();

	private final SynchronizationContext syncContext = new SynchronizationContext(
			(thread, error) -> this.uncaught.add(error));

	private final FakeTimer timer = new FakeTimer();

	private final FakeEtcd etcd = new FakeEtcd();

	private final List<String> told = new ArrayList<>();

	private final EtcdLeaderElection election = new EtcdLeaderElection(this.etcd, ELECTION, "a", TTL,
			new LeadershipListener() {

				@Override
				public void granted(LeadershipTerm term) {
					EtcdLeaderElectionTests.this.told.add("granted " + term.token());
				}

				@Override
				public void revoked(LeadershipTerm term, String reason) {
					EtcdLeaderElectionTests.this.told.add("revoked " + term.token() + ": " + reason);
				}

				@Override
				public void leaderChanged(String leaderId) {
					EtcdLeaderElectionTests.this.told.add("leader " + leaderId);
				}

			}, this.syncContext, this.timer, this.timer.ticker());

	@AfterEach
	void noUncaughtErrors() {
		assertThat(this.uncaught).isEmpty();
	}

	@Test
	void soleCandidateShouldLeadOnceTheWatchHasSeenItsKey() {
		this.election.start();
		this.etcd.lastList().complete(listed(5));
		this.etcd.pending("grant 4s").answer(LEASE);
		this.etcd.pending("create " + MY_KEY + "=a on 26").answer(6);
		settle();
		assertThat(this.told).as("the watch is behind our put").isEmpty();

		this.etcd.lastWatch().send(events(put(MY_KEY, "a", 6)));
		settle();

		assertThat(this.told).containsExactly("leader a", "granted 6");
		assertThat(this.election.isLeader()).isTrue();
		assertThat(this.election.term().token()).isEqualTo(6);
		assertThat(this.etcd.lastWatch().fromRevision()).isEqualTo(6);
	}

	@Test
	void olderCandidateShouldLeadAndOursShouldFollowOnItsDeleteWithoutAnotherRead() {
		this.election.start();
		this.etcd.lastList().complete(listed(5, kv(ELECTION + "/b", "b", 3)));
		join(6);
		this.etcd.lastWatch().send(events(put(MY_KEY, "a", 6)));
		settle();
		assertThat(this.told).containsExactly("leader b");

		this.etcd.lastWatch().send(events(delete(ELECTION + "/b", 7)));
		settle();

		assertThat(this.told).containsExactly("leader b", "leader a", "granted 6");
		assertThat(this.etcd.listCount()).isEqualTo(1);
	}

	@Test
	void termShouldEndBeforeTheLeaseCouldExpireWhenEtcdFallsSilent() {
		lead();
		this.timer.forward(Duration.ofMillis(2999));
		assertThat(this.election.isLeader()).isTrue();

		this.timer.forward(Duration.ofMillis(1));

		assertThat(this.election.isLeader()).isFalse();
		assertThat(this.told).endsWith("revoked 6: its lease was not confirmed by etcd within the TTL");
	}

	@Test
	void keepAlivesShouldExtendTheTermFromWhenEtcdConfirmedTheLease() {
		lead();
		this.timer.forward(Duration.ofSeconds(2));
		this.etcd.keepAliveOf(LEASE).alive();
		this.timer.forward(Duration.ofMillis(2999));
		assertThat(this.election.isLeader()).isTrue();

		this.timer.forward(Duration.ofMillis(1));
		assertThat(this.election.isLeader()).isFalse();
	}

	@Test
	void confirmationAfterALapseShouldLeadAgainWhenTheKeyStillLeads() {
		lead();
		this.timer.forward(Duration.ofSeconds(3));
		assertThat(this.election.isLeader()).isFalse();

		this.etcd.keepAliveOf(LEASE).alive();
		settle();

		assertThat(this.told).endsWith("revoked 6: its lease was not confirmed by etcd within the TTL", "granted 6");
		assertThat(this.election.isLeader()).isTrue();
	}

	@Test
	void lostLeaseShouldEndTheTermAndCampaignAgainOnANewLease() {
		lead();
		this.etcd.keepAliveOf(LEASE).lost("keep-alive: lease not found");
		settle();
		assertThat(this.told).endsWith("revoked 6: lease lost (keep-alive: lease not found)");
		assertThat(this.etcd.history()).endsWith("close keepAlive 26", "revoke 26");

		this.timer.forward(ABOVE_LONGEST_RETRY);
		this.etcd.pending("grant").answer(0x1b);
		this.etcd.pending("create " + ELECTION + "/1b=a on 27").answer(9);
		this.etcd.lastWatch().send(events(delete(MY_KEY, 8), put(ELECTION + "/1b", "a", 9)));
		settle();

		assertThat(this.told).endsWith("granted 9");
	}

	@Test
	void ownKeyDeletedUnderALiveLeaseShouldEndTheTermAndJoinAgainAtTheBack() {
		lead();
		this.etcd.lastWatch().send(events(put(ELECTION + "/b", "b", 7), delete(MY_KEY, 8)));
		settle();

		assertThat(this.told).endsWith("revoked 6: its key was deleted");
		assertThat(this.etcd.history()).endsWith("revoke 26", "grant 4s");
		this.etcd.pending("grant").answer(0x1b);
		this.etcd.pending("create " + ELECTION + "/1b=a on 27").answer(9);
		this.etcd.lastWatch().send(events(put(ELECTION + "/1b", "a", 9)));
		settle();
		assertThat(this.election.isLeader()).as("b's key is older").isFalse();
		assertThat(this.election.leader()).isEqualTo("b");
	}

	@Test
	void failedJoinShouldGiveUpItsLeaseAndRetryWithBackoff() {
		this.election.start();
		this.etcd.lastList().complete(listed(5));
		this.etcd.pending("grant").answer(LEASE);
		this.etcd.pending("create").fail(Status.UNAVAILABLE.withDescription("etcd away").asRuntimeException());

		assertThat(this.etcd.history()).endsWith("close keepAlive 26", "revoke 26");
		this.timer.forward(Duration.ofMillis(150));
		assertThat(this.etcd.history()).filteredOn((line) -> line.startsWith("grant")).hasSize(1);
		this.timer.forward(ABOVE_LONGEST_RETRY);
		assertThat(this.etcd.history()).filteredOn((line) -> line.startsWith("grant")).hasSize(2);
	}

	@Test
	void compactedWatchShouldListAgainAndKeepTheTerm() {
		lead();
		this.etcd.lastWatch().fail(EtcdExceptionFactory.newCompactedException(40));
		this.etcd.lastList().complete(listed(50, kv(MY_KEY, "a", 6)));
		settle();

		assertThat(this.election.isLeader()).isTrue();
		assertThat(this.told).containsExactly("leader a", "granted 6");
		assertThat(this.etcd.lastWatch().fromRevision()).isEqualTo(51);
	}

	@Test
	void yieldShouldHandOverAndJoinAgainBehindTheOthers() {
		lead();
		CompletableFuture<Void> yielded = this.election.yieldLeadership();
		settle();
		assertThat(this.told).endsWith("revoked 6: yielded");
		assertThat(yielded).isNotDone();

		this.etcd.pending("revoke 26").answer(0);

		assertThat(yielded).isCompleted();
		assertThat(this.etcd.history()).endsWith("revoke 26", "grant 4s");
	}

	@Test
	void resignShouldRevokeTheKeyAndStopWatchingAndCampaigning() {
		lead();
		CompletableFuture<Void> resigned = this.election.resign();
		settle();
		assertThat(this.told).endsWith("revoked 6: closed");
		this.etcd.pending("revoke 26").answer(0);
		assertThat(resigned).isCompleted();

		this.election.close();
		assertThat(this.etcd.lastWatch().isClosed()).isTrue();
		assertThat(this.timer.isShutdown()).isTrue();
		assertThat(this.etcd.pendingRequests()).isEmpty();
	}

	@Test
	void grantThatArrivesAfterCloseShouldBeRevoked() {
		this.election.start();
		this.election.resign();
		this.etcd.pending("grant").answer(LEASE);

		assertThat(this.etcd.history()).endsWith("revoke 26");
		assertThat(this.etcd.history()).noneMatch((line) -> line.startsWith("create"));
	}

	@Test
	void leaderShouldBeReportedAsTheWatchSeesItBeforeThisCandidateJoins() {
		this.election.start();
		this.etcd.lastList().complete(listed(5, kv(ELECTION + "/b", "b", 3), kv(ELECTION + "/c", "c", 4)));
		settle();
		assertThat(this.told).containsExactly("leader b");
		assertThat(this.election.leader()).isEqualTo("b");
	}

	private void lead() {
		this.election.start();
		this.etcd.lastList().complete(listed(5));
		join(6);
		this.etcd.lastWatch().send(events(put(MY_KEY, "a", 6)));
		settle();
		assertThat(this.election.isLeader()).isTrue();
	}

	private void join(long createRevision) {
		this.etcd.pending("grant").answer(LEASE);
		this.etcd.pending("create " + MY_KEY).answer(createRevision);
	}

	/** Lets the election's thread tell the listener what it has to tell. */
	private void settle() {
		this.timer.forward(Duration.ZERO);
	}

}
