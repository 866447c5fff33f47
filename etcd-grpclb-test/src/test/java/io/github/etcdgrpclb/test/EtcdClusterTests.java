package io.github.etcdgrpclb.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

class EtcdClusterTests {

	@Test
	void singleMemberServesOnLoopbackAndDeletesItsDataWhenClosed() throws Exception {
		Path workDir;
		try (EtcdCluster etcd = EtcdCluster.startSingle(); Client client = client(etcd)) {
			workDir = etcd.workDir();
			assertThat(etcd.member(0).clientEndpoint().getHost()).isEqualTo("127.0.0.1");
			assertThat(workDir.resolve("etcd0.etcd")).isDirectory();
			put(client, "/k", "v");
			assertThat(get(client, "/k")).isEqualTo("v");
		}
		assertThat(workDir).doesNotExist();
	}

	@Test
	void restartedMemberKeepsItsDataAndPorts() throws Exception {
		try (EtcdCluster etcd = EtcdCluster.startSingle()) {
			URI before = etcd.member(0).clientEndpoint();
			try (Client client = client(etcd)) {
				put(client, "/kept", "1");
			}
			etcd.member(0).kill();
			assertThat(etcd.member(0).isRunning()).isFalse();
			etcd.member(0).start();
			assertThat(etcd.member(0).clientEndpoint()).isEqualTo(before);
			try (Client client = client(etcd)) {
				assertThat(get(client, "/kept")).isEqualTo("1");
			}
		}
	}

	@Test
	void isolatedLeaderShouldLoseItsPeersWhileTheOthersElectOneAndWriteAndCatchUpWhenHealed() throws Exception {
		try (EtcdCluster etcd = EtcdCluster.builder().members(3).peerProxies().start()) {
			// The leader: the hardest member to cut off (the others must elect a new one first).
			int isolated = etcd.members().indexOf(etcd.leader());
			int other = (isolated + 1) % 3;
			try (Client majority = Client.builder().endpoints(etcd.member(other).clientEndpoint()).build();
					Client cutOff = Client.builder().endpoints(etcd.member(isolated).clientEndpoint()).waitForReady(false)
						.build()) {
				etcd.isolate(isolated);
				// Until the other two have a leader, a write fails with "request timed out, possibly due to
				// previous leader failure".
				await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
					put(majority, "/partitioned", "majority");
					return true;
				});
				// The cut-off leader steps down once it misses its quorum (check-quorum).
				await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
					.until(() -> etcd.leader() != etcd.member(isolated));
				// A linearizable read needs the leader, which the isolated member cannot reach.
				assertThatExceptionOfType(Exception.class)
					.isThrownBy(() -> cutOff.getKVClient().get(bytes("/partitioned")).get(3, TimeUnit.SECONDS));
				etcd.heal(isolated);
				await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
					.until(() -> "majority".equals(get(cutOff, "/partitioned")));
			}
		}
	}

	@Test
	void threeMemberClusterElectsANewLeaderWhenTheLeaderIsKilledAndTheMemberRejoins() throws Exception {
		try (EtcdCluster etcd = EtcdCluster.builder().members(3).start(); Client client = client(etcd)) {
			EtcdMember leader = etcd.leader();
			leader.kill();
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				try {
					return etcd.leader() != leader;
				}
				catch (IllegalStateException ex) {
					return false;
				}
			});
			put(client, "/after-failover", "ok");
			leader.start();
			assertThat(leader.isRunning()).isTrue();
			assertThat(get(client, "/after-failover")).isEqualTo("ok");
		}
	}

	@Test
	void pausedMemberStopsAnsweringUntilResumed() {
		try (EtcdCluster etcd = EtcdCluster.startSingle()) {
			etcd.member(0).pause();
			assertThatIllegalStateException().isThrownBy(etcd::leader);
			etcd.member(0).resume();
			assertThat(etcd.leader()).isSameAs(etcd.member(0));
		}
	}

	static Client client(EtcdCluster etcd) {
		return Client.builder().endpoints(etcd.clientEndpoints().toArray(URI[]::new)).build();
	}

	static void put(Client client, String key, String value) throws Exception {
		client.getKVClient().put(bytes(key), bytes(value)).get(10, TimeUnit.SECONDS);
	}

	static String get(Client client, String key) throws Exception {
		return client.getKVClient().get(bytes(key)).get(10, TimeUnit.SECONDS).getKvs().get(0).getValue()
			.toString(StandardCharsets.UTF_8);
	}

	static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	@Test
	void versionShouldNameTheEtcdTheTestsRunOn() {
		assertThat(EtcdBinary.version()).matches("3\\.\\d+\\.\\d+");
	}

}
