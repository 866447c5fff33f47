package io.github.etcdgrpclb.registry;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import io.etcd.jetcd.options.PutOption;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An operator's override against a real etcd, written as {@code etcdctl} or the console writes it: a
 * pinned drain keeps a starting server's key out of etcd from its first moment and survives its restart;
 * an unpinned weight lives on the server's lease and ends with its registration.
 */
class OperatorOverrideIntegrationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	private static final RegistryEntry ENTRY = new RegistryEntry("/ops-it", "svc", "127.0.0.1", 7100, 2);

	@Test
	void pinnedDrainShouldKeepTheKeyOutAcrossRestartsUntilItIsRemoved() {
		raw.put(ENTRY.opsKey(), new OperatorOverride(null, true, "ops", Instant.now()).toJson());
		for (int restart = 0; restart < 2; restart++) {
			try (RegistrationKeeper registrar = new RegistrationKeeper(raw.client(), ENTRY, Duration.ofSeconds(5))) {
				registrar.start().join();
				assertThat(registrar.status().state()).isEqualTo(RegistrationState.DRAINED);
				assertThat(raw.get(ENTRY.key())).as("never put, restart %d", restart).isNull();
				if (restart == 1) {
					raw.delete(ENTRY.opsKey());
					await().atMost(Duration.ofSeconds(2)).until(() -> raw.get(ENTRY.key()) != null);
					assertThat(raw.values("/ops-it/svc/")).containsEntry(ENTRY.key(), "2");
					assertThat(registrar.status().state()).isEqualTo(RegistrationState.REGISTERED);
				}
			}
		}
		assertThat(raw.get(ENTRY.key())).isNull();
	}

	@Test
	void unpinnedWeightShouldBePublishedAndEndWithTheRegistration() {
		try (RegistrationKeeper registrar = new RegistrationKeeper(raw.client(), ENTRY, Duration.ofSeconds(5))) {
			registrar.start().join();
			long lease = raw.get(ENTRY.key()).getLease();
			raw.client()
				.getKVClient()
				.put(bytes(ENTRY.opsKey()),
						bytes("{\"weight\":7,\"by\":\"ops\"}"),
						PutOption.builder().withLeaseId(lease).build())
				.join();
			await().atMost(Duration.ofSeconds(2))
				.untilAsserted(() -> assertThat(raw.values("/ops-it/svc/")).containsEntry(ENTRY.key(), "7"));
			assertThat(registrar.status().operatorOverride().weight()).isEqualTo(7);
		}
		assertThat(raw.get(ENTRY.opsKey())).as("gone with the instance's lease").isNull();
	}

}
