package io.github.etcdgrpclb.election;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static io.github.etcdgrpclb.etcd.EtcdBytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdgrpclb.support.ElectionCandidateMain;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leader election against a real etcd: one leader at a time, fast handover, crash and outage
 * behaviour, and the layout Go's {@code concurrency.Election} uses.
 */
class EtcdLeaderElectionIntegrationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private static final Duration TTL = Duration.ofSeconds(2);

	private final List<EtcdLeaderElection> candidates = new ArrayList<>();

	private final ElectionRecorder recorder = new ElectionRecorder();

	private RawEtcd raw;

	@AfterEach
	void closeCandidates() {
		this.candidates.forEach(EtcdLeaderElection::close);
		if (this.raw != null) {
			this.raw.close();
		}
	}

	@Test
	void threeCandidatesShouldHaveExactlyOneLeaderThroughEveryHandover() throws Exception {
		List<EtcdLeaderElection> three = List.of(candidate("/election/report", "a"), candidate("/election/report", "b"),
				candidate("/election/report", "c"));
		AtomicInteger mostSampled = new AtomicInteger();
		AtomicBoolean sampling = new AtomicBoolean(true);
		Thread sampler = new Thread(() -> {
			while (sampling.get()) {
				int leading = (int) three.stream().filter(EtcdLeaderElection::isLeader).count();
				mostSampled.accumulateAndGet(leading, Math::max);
				LockSupport.parkNanos(100_000); // sampling every ~0.1 ms leaves the CPU to etcd
			}
		});
		sampler.start();
		List<EtcdLeaderElection> live = new ArrayList<>(three);
		try {
			for (int round = 0; round < 2; round++) {
				EtcdLeaderElection leader = awaitLeader(live);
				String leaderId = leader.candidateId();
				live.stream()
					.filter((candidate) -> candidate != leader)
					.forEach((other) -> await().atMost(Duration.ofSeconds(5)).until(() -> leaderId.equals(other.leader())));
				leader.close();
				live.remove(leader);
				this.candidates.remove(leader);
				int grants = round + 2;
				await().atMost(Duration.ofSeconds(5)).until(() -> this.recorder.grants().size() == grants);
			}
		}
		finally {
			sampling.set(false);
			sampler.join();
		}
		assertThat(mostSampled.get()).as("leaders seen at one moment").isEqualTo(1);
		assertThat(this.recorder.mostLeadersAtOnce()).as("terms overlapping in the event timeline").isEqualTo(1);
		// Tokens are the leaders' create revisions: positive, and growing with every leader.
		assertThat(this.recorder.grants()).extracting(ElectionRecorder.Event::token)
			.allMatch((token) -> token > 0)
			.isSorted()
			.doesNotHaveDuplicates();
	}

	@Test
	void closedLeaderShouldBeFollowedWithinOneWatchEvent() {
		EtcdLeaderElection first = candidate("/election/handover", "first");
		awaitLeader(List.of(first));
		EtcdLeaderElection second = candidate("/election/handover", "second");
		await().atMost(Duration.ofSeconds(5)).until(() -> "first".equals(second.leader()));
		long closed = System.nanoTime();
		first.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> second.isLeader() && this.recorder.grants().size() == 2);
		ElectionRecorder.Event granted = this.recorder.grants().get(1);
		assertThat(granted.candidate()).isEqualTo("second");
		// Not a timing target (the benchmark measures handover): the key is deleted, not left to expire.
		assertThat(Duration.ofNanos(granted.nanos() - closed)).isLessThan(TTL);
	}

	@Test
	void killedLeaderProcessShouldBeFollowedWithinTheTtlAndASecond() throws Exception {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				ElectionCandidateMain.class.getName(), etcd.endpoints(), "/election/crash", "crashing", "2")
			.redirectErrorStream(true)
			.start();
		try {
			BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = out.readLine()) != null && !line.startsWith("LEADING ")) {
				// Skip log lines until the process leads.
			}
			assertThat(line).as("the process leads").isNotNull();
			EtcdLeaderElection survivor = candidate("/election/crash", "survivor");
			await().atMost(Duration.ofSeconds(5)).until(() -> "crashing".equals(survivor.leader()));
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			long killed = System.nanoTime();
			// The granted callback runs on the election's thread, just after isLeader() turns true.
			await().atMost(TTL.plusSeconds(5)).until(() -> survivor.isLeader() && !this.recorder.grants().isEmpty());
			assertThat(Duration.ofNanos(this.recorder.grants().get(0).nanos() - killed))
				.isLessThan(TTL.plusSeconds(1));
		}
		finally {
			process.destroyForcibly();
		}
	}

	@Test
	void etcdStoppedShouldEndTheTermBeforeTheLeaseCouldExpireAndOneShouldLeadWhenItIsBack() {
		EtcdLeaderElection leader = candidate("/election/outage", "leader");
		EtcdLeaderElection other = candidate("/election/outage", "other");
		awaitLeader(List.of(leader, other));
		etcd.etcd().member(0).stop();
		long stopped = System.nanoTime();
		try {
			await().atMost(TTL.plusSeconds(2)).until(() -> this.recorder.events().size() == 2);
			ElectionRecorder.Event revoked = this.recorder.events().get(1);
			assertThat(revoked.granted()).isFalse();
			// The last keep-alive etcd confirmed was before the stop: its lease lives at least until
			// then + TTL on etcd's side, and the term ended before that.
			assertThat(Duration.ofNanos(revoked.nanos() - stopped)).isLessThan(TTL);
			assertThat(leader.isLeader() || other.isLeader()).isFalse();
		}
		finally {
			etcd.etcd().member(0).start();
		}
		await().atMost(Duration.ofSeconds(15)).until(() -> leader.isLeader() || other.isLeader());
		assertThat(leader.isLeader() && other.isLeader()).isFalse();
	}

	@Test
	void yieldShouldHandLeadershipToTheNextCandidateAndJoinAgainBehindIt() {
		EtcdLeaderElection first = candidate("/election/yield", "first");
		awaitLeader(List.of(first));
		EtcdLeaderElection second = candidate("/election/yield", "second");
		await().atMost(Duration.ofSeconds(5)).until(() -> "first".equals(second.leader()));
		first.yieldLeadership().join();
		await().atMost(Duration.ofSeconds(5)).until(second::isLeader);
		await().atMost(Duration.ofSeconds(5)).until(() -> "second".equals(first.leader()));
		assertThat(first.isLeader()).isFalse();
	}

	@Test
	void twoElectionsShouldBeIndependent() {
		EtcdLeaderElection reports = candidate("/election/reports", "node-1");
		EtcdLeaderElection billing = candidate("/election/billing", "node-1");
		await().atMost(Duration.ofSeconds(5)).until(() -> reports.isLeader() && billing.isLeader());
		reports.close();
		assertThat(billing.isLeader()).isTrue();
	}

	@Test
	void goCandidateLayoutShouldExcludeAndBeExcluded() throws Exception {
		this.raw = new RawEtcd(etcd.endpoints());
		// Go's concurrency.NewElection(session, "/election/mixed").Campaign(ctx, "go-1") puts this key.
		long goLease = this.raw.client().getLeaseClient().grant(30).get(5, TimeUnit.SECONDS).getID();
		String goKey = "/election/mixed/" + Long.toHexString(goLease);
		this.raw.client()
			.getKVClient()
			.put(bytes(goKey), bytes("go-1"), PutOption.builder().withLeaseId(goLease).build())
			.get(5, TimeUnit.SECONDS);
		EtcdLeaderElection java = candidate("/election/mixed", "java-1");
		await().atMost(Duration.ofSeconds(5)).until(() -> "go-1".equals(java.leader()));
		assertThat(java.isLeader()).isFalse();
		this.raw.client().getLeaseClient().revoke(goLease).get(5, TimeUnit.SECONDS); // Go's Resign
		await().atMost(Duration.ofSeconds(5)).until(java::isLeader);
		// Go's Leader(): the value of the oldest key under the prefix.
		KeyValue oldest = this.raw.client()
			.getKVClient()
			.get(bytes("/election/mixed/"), GetOption.builder()
				.isPrefix(true)
				.withSortField(GetOption.SortTarget.CREATE)
				.withSortOrder(GetOption.SortOrder.ASCEND)
				.withLimit(1)
				.build())
			.get(5, TimeUnit.SECONDS)
			.getKvs()
			.get(0);
		assertThat(text(oldest.getValue())).isEqualTo("java-1");
		assertThat(oldest.getCreateRevision()).isEqualTo(java.term().token());
	}

	private EtcdLeaderElection candidate(String election, String id) {
		if (this.raw == null) {
			this.raw = new RawEtcd(etcd.endpoints());
		}
		EtcdLeaderElection candidate = new EtcdLeaderElection(this.raw.client(), election, id, TTL,
				this.recorder.listenerFor(id));
		this.candidates.add(candidate);
		candidate.start();
		return candidate;
	}

	private static EtcdLeaderElection awaitLeader(List<EtcdLeaderElection> candidates) {
		await().atMost(Duration.ofSeconds(10)).until(() -> candidates.stream().anyMatch(EtcdLeaderElection::isLeader));
		return candidates.stream().filter(EtcdLeaderElection::isLeader).findFirst().orElseThrow();
	}

}
