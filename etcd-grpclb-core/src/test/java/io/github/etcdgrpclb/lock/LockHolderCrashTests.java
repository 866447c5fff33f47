package io.github.etcdgrpclb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.etcdgrpclb.support.LockHolderMain;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A holder process killed with SIGKILL (no release): its lease expires and the lock is free after the TTL.
 */
class LockHolderCrashTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@Test
	void lockOfAKilledHolderProcessShouldBeAcquiredAfterItsLeaseTtl() throws Exception {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				LockHolderMain.class.getName(), etcd.endpoints(), "crash", "3")
			.redirectErrorStream(true)
			.start();
		try (RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = out.readLine()) != null && !line.startsWith("HELD ")) {
				// Skip log lines until the holder has the lock.
			}
			assertThat(line).as("holder process took the lock").isNotNull();
			EtcdLockTemplate template = new EtcdLockTemplate(raw.client(), "/locks", Duration.ofSeconds(5));
			assertThatExceptionOfType(LockNotAcquiredException.class)
				.isThrownBy(() -> template.tryLock("crash", Duration.ofMillis(200)));
			holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			long killed = System.nanoTime();
			try (LockLease lock = template.tryLock("crash", Duration.ofSeconds(10))) {
				long waitedMillis = (System.nanoTime() - killed) / 1_000_000;
				assertThat(lock.isValid()).isTrue();
				// Freed by the lease's expiry: not before the TTL could have run out, not long after it.
				assertThat(waitedMillis).isBetween(1000L, 8000L);
			}
		}
		finally {
			holder.destroyForcibly();
		}
	}

}
