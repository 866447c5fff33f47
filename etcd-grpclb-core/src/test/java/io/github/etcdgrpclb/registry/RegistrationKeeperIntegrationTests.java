package io.github.etcdgrpclb.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The registrar on its own, without Spring, against a real etcd.
 */
class RegistrationKeeperIntegrationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@Test
	void deregisteringAtAnyPointOfTheRegistrationShouldLeaveNeitherKeyNorLease() throws Exception {
		try (RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			List<Long> leasesBefore = etcd.etcd().leases();
			for (int i = 0; i < 30; i++) {
				RegistryEntry registration = new RegistryEntry("/race", "svc", "127.0.0.1", 1000 + i, 1);
				try (RegistrationKeeper registrar = new RegistrationKeeper(raw.client(), registration,
						Duration.ofSeconds(30))) {
					registrar.start();
					// Stop somewhere between "nothing sent yet" and "registered".
					Thread.sleep(ThreadLocalRandom.current().nextInt(0, 15));
					registrar.deregister(Duration.ofSeconds(5));
				}
			}
			// A lease of 30 s would keep a forgotten key for 30 s: both must be gone now.
			await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
				assertThat(raw.list("/race/")).isEmpty();
				assertThat(etcd.etcd().leases()).containsExactlyInAnyOrderElementsOf(leasesBefore);
			});
		}
	}

	@Test
	void weightUpdateBeforeRegistrationShouldBePublishedByIt() {
		try (RawEtcd raw = new RawEtcd(etcd.endpoints());
				RegistrationKeeper registrar = new RegistrationKeeper(raw.client(),
						new RegistryEntry("/early", "svc", "127.0.0.1", 7000, 1), Duration.ofSeconds(5))) {
			registrar.updateWeight(5).join();
			registrar.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get("/early/svc/127.0.0.1:7000") != null);
			assertThat(raw.values("/early/svc/")).containsEntry("/early/svc/127.0.0.1:7000", "5");
		}
	}

}
