package io.github.etcdgrpclb.sample.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.election.EtcdLeaderElection;
import io.github.etcdgrpclb.election.LeadershipListener;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A leading sample server of either line that gets SIGTERM hands leadership over when its shutdown
 * begins, not after its gRPC drain: the next candidate leads while the server still drains (a drain
 * of 5 s here, so the order cannot be mistaken). Servers only: it runs in this module, not in the Boot 4.1
 * client's too as the mixed fleet does.
 */
class LeaderHandoverTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@ParameterizedTest
	@ValueSource(strings = { "../sample-server/target/sample-server-0.1.0-SNAPSHOT-exec.jar",
			"../sample-server-boot4/target/sample-server-boot4-0.1.0-SNAPSHOT-exec.jar" })
	void leaderGivenSigtermShouldHandOverBeforeItsDrain(String jar) throws Exception {
		assertThat(Path.of(jar)).as("built by this reactor before this module's tests").exists();
		Path log = Files.createTempFile("leader", ".log");
		Process leader = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
				"--etcd.endpoints=" + etcd.endpoints(), "--grpc.server.port=0", "--etcd.leader.enabled=true",
				"--etcd.leader.ttl=2s", "--etcd.leader.candidate-id=leaving", "--etcd.registry.drain-delay=5s")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try (Client client = Client.builder().endpoints(etcd.endpoints().split(",")).build();
				EtcdLeaderElection next = new EtcdLeaderElection(client, "/election/simple_grpc", "next",
						Duration.ofSeconds(2), LeadershipListener.NONE)) {
			// Behind the server in the queue: it campaigns once ready.
			await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("Leading election"));
			next.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> "leaving".equals(next.leader()));

			leader.destroy(); // SIGTERM
			await().atMost(Duration.ofSeconds(3)).until(next::isLeader);
			assertThat(leader.isAlive()).as("still draining its gRPC calls when the next leads").isTrue();
		}
		finally {
			leader.destroy();
			if (!leader.waitFor(30, TimeUnit.SECONDS)) {
				leader.destroyForcibly();
			}
		}
	}

}
