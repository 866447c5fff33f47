package io.github.etcdgrpclb.registry;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.github.etcdgrpclb.etcd.EtcdClientDefaults;
import io.github.etcdgrpclb.support.PlainEchoServer;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdCluster;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.github.etcdgrpclb.test.EtcdMember;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A registration outlives a stall of any one etcd member (as a follower: see below). A member that stops (SIGSTOP: a stalled
 * disk, a VM paused) keeps its connections open and answers nothing; the lease's keep-alives must
 * find another member before the TTL runs out. jetcd's single keep-alive stream stays on the stalled
 * member and lets every lease on it expire (this test failed so); a keep-alive round of its own per
 * renewal, with a short timeout, goes to the next member instead.
 */
class RegistrationThroughMemberPausesTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.of(EtcdCluster.builder().members(3));

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	@Test
	void registrationShouldKeepItsKeyAndLeaseWhileEachMemberInTurnStallsPastTheTtl() throws Exception {
		try (Client client = EtcdClientDefaults.apply(Client.builder().endpoints(etcd.endpoints().split(","))).build();
				PlainEchoServer server = new PlainEchoServer(client, "/grpclb", "stall", "a", 1,
						Duration.ofSeconds(2))) {
			String key = "/grpclb/stall/127.0.0.1:" + server.port();
			KeyValue registered = awaitKey(key);
			for (EtcdMember member : etcd.etcd().members()) {
				// Each member stalls as a follower: a leader that stalls past a lease's TTL revokes, when it goes
				// on, leases the new leader kept alive (etcd-io/etcd#15247, seen on 3.4.23 and 3.5.16 alike), an
				// etcd fault no client can mend. The client's keep-alives meet every member stalled all the same.
				moveLeadershipAwayFrom(member);
				member.pause();
				try {
					Thread.sleep(3000); // the fault itself: longer than the 2 s TTL, nothing to wait for
				}
				finally {
					member.resume();
				}
				etcd.etcd().awaitHealthy(Duration.ofSeconds(10));
			}
			// A key deleted and put again gets a new create revision: the same one proves it never went.
			KeyValue now = raw.list(key).get(0);
			assertThat(now.getCreateRevision()).as("the key was never deleted").isEqualTo(registered.getCreateRevision());
			assertThat(now.getLease()).as("the same lease throughout").isEqualTo(registered.getLease());
		}
	}

	private static void moveLeadershipAwayFrom(EtcdMember member) throws Exception {
		EtcdMember leader = etcd.etcd().leader();
		if (leader != member) {
			return;
		}
		try (Client toLeader = Client.builder().endpoints(leader.clientEndpoint()).build()) {
			long otherId = toLeader.getClusterClient()
				.listMember()
				.get(5, TimeUnit.SECONDS)
				.getMembers()
				.stream()
				.filter((candidate) -> !candidate.getClientURIs().contains(leader.clientEndpoint()))
				.findFirst()
				.orElseThrow()
				.getId();
			toLeader.getMaintenanceClient().moveLeader(otherId).get(5, TimeUnit.SECONDS);
		}
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.ignoreExceptions()
			.until(() -> etcd.etcd().leader() != member);
	}

	private static KeyValue awaitKey(String key) throws Exception {
		return org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> raw.client().getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getKvs(),
					(kvs) -> !kvs.isEmpty())
			.get(0);
	}

}
