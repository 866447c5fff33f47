package io.github.etcdgrpclb.spring.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.election.EtcdLeaderElection;
import io.github.etcdgrpclb.election.LeadershipListener;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.github.etcdgrpclb.test.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A leader whose JVM stops for longer than its lease TTL (SIGSTOP, then SIGCONT) while another
 * candidate takes over: when it goes on, its {@code @EtcdLeaderOnly} job does not run again, since
 * its term ended when its lease could no longer be known alive.
 */
class LeaderPauseTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@Test
	void pausedLeadersLeaderOnlyJobShouldNotRunAfterItsTermEnded() throws Exception {
		Path log = Files.createTempFile("paused-leader", ".log");
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		Process leader = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				PausedLeaderMain.class.getName(), etcd.endpoints(), "paused")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try (Client client = Client.builder().endpoints(etcd.endpoints().split(",")).build();
				EtcdLeaderElection next = new EtcdLeaderElection(client, "/election/reports", "next", Duration.ofSeconds(2),
						LeadershipListener.NONE)) {
			await().atMost(Duration.ofSeconds(60)).until(() -> lines(log).stream().anyMatch((l) -> l.startsWith("RAN ")));
			next.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> "paused".equals(next.leader()));

			Processes.pause(leader);
			await().atMost(Duration.ofSeconds(15)).until(next::isLeader);
			long resumed = System.currentTimeMillis();
			Processes.resume(leader);

			// 20 calls of the job after it went on: each skipped.
			await().atMost(Duration.ofSeconds(10)).until(() -> lines(log).stream()
				.filter((l) -> l.startsWith("SKIPPED ") && Long.parseLong(l.split(" ")[1]) >= resumed)
				.count() >= 20);
			assertThat(lines(log).stream()
				.filter((l) -> l.startsWith("RAN ") && Long.parseLong(l.split(" ")[1]) >= resumed))
				.as("leader-only runs begun after it went on").isEmpty();
			assertThat(next.isLeader()).isTrue();
		}
		finally {
			leader.destroyForcibly();
		}
	}

	private static List<String> lines(Path log) throws Exception {
		return Files.readAllLines(log);
	}

}
