package io.github.etcdgrpclb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.etcdgrpclb.support.FencedLockHolderMain;
import io.github.etcdgrpclb.support.FencedStore;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.github.etcdgrpclb.test.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A lock holder whose JVM stops for longer than its lease TTL (a stop-the-world pause: SIGSTOP, then
 * SIGCONT) while another process takes the lock: when it goes on it finds its lock invalid before it
 * writes again, and a write it makes anyway is refused: by the token once the next holder wrote, by
 * the lock's ownership guard at once.
 */
class ProcessPauseTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	@Test
	void lockHolderPausedPastItsTtlShouldFindItsLockInvalidAndHaveNoWriteAcceptedAfterwards() throws Exception {
		Path log = Files.createTempFile("paused-holder", ".log");
		Process holder = startHolder(log, "paused");
		try {
			long holderToken = awaitWriting(log);

			Processes.pause(holder);
			FencedStore store = new FencedStore(raw.client(), "paused");
			try (EtcdLockTemplate next = new EtcdLockTemplate(raw.client(), "/locks", Duration.ofSeconds(5));
					LockLease lock = next.tryLock("paused", Duration.ofSeconds(15))) {
				assertThat(lock.token()).as("a later acquisition, a larger token").isGreaterThan(holderToken);
				assertThat(store.write(lock.token(), "next")).isTrue();
				long resumed = System.currentTimeMillis();
				Processes.resume(holder);

				await().atMost(Duration.ofSeconds(10)).until(() -> lines(log).stream().anyMatch((l) -> l.startsWith("STALE ")));
				assertThat(acceptedWritesBegunAfter(log, resumed)).as("writes begun after it went on and accepted").isEmpty();
				assertThat(line(log, "STALE ")).isEqualTo("STALE false");
				assertThat(store.value()).isEqualTo("next");
			}
		}
		finally {
			holder.destroyForcibly();
		}
	}

	@Test
	void pausedHoldersWriteGuardedByOwnershipShouldBeRefusedBeforeTheNextHolderWrote() throws Exception {
		// The token alone cannot refuse a stale write that comes before the next holder's first: the
		// store has seen no larger token yet. The ownership guard can: the key is gone.
		Path log = Files.createTempFile("paused-guarded-holder", ".log");
		Process holder = startHolder(log, "guarded", "guarded");
		try {
			awaitWriting(log);
			Processes.pause(holder);
			try (EtcdLockTemplate next = new EtcdLockTemplate(raw.client(), "/locks", Duration.ofSeconds(5));
					LockLease lock = next.tryLock("guarded", Duration.ofSeconds(15))) {
				long resumed = System.currentTimeMillis();
				Processes.resume(holder);

				await().atMost(Duration.ofSeconds(10)).until(() -> lines(log).stream().anyMatch((l) -> l.startsWith("STALE ")));
				assertThat(acceptedWritesBegunAfter(log, resumed)).as("writes begun after it went on and accepted").isEmpty();
				assertThat(line(log, "STALE ")).isEqualTo("STALE false");
				assertThat(new FencedStore(raw.client(), "guarded").value()).isEqualTo("holder");
				assertThat(lock.isValid()).isTrue();
			}
		}
		finally {
			holder.destroyForcibly();
		}
	}

	private static Process startHolder(Path log, String lock, String... mode) throws Exception {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
				FencedLockHolderMain.class.getName(), etcd.endpoints(), lock, "2", lock, "holder"));
		command.addAll(List.of(mode));
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	/** @return the holder's token, once it wrote */
	private static long awaitWriting(Path log) throws Exception {
		await().atMost(Duration.ofSeconds(30)).until(() -> lines(log).stream().anyMatch((l) -> l.startsWith("WROTE true")));
		return Long.parseLong(line(log, "HELD ").substring(5));
	}

	private static List<String> acceptedWritesBegunAfter(Path log, long millis) throws Exception {
		return lines(log).stream()
			.filter((l) -> l.startsWith("WROTE true") && Long.parseLong(l.split(" ")[2]) >= millis)
			.toList();
	}

	private static List<String> lines(Path log) throws Exception {
		return Files.readAllLines(log);
	}

	private static String line(Path log, String start) throws Exception {
		return lines(log).stream().filter((l) -> l.startsWith(start)).findFirst().orElseThrow();
	}

}
