package io.github.etcdgrpclb.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application's registrations without Spring, as a plain grpc-java server would use them,
 * against a real etcd.
 */
class EtcdServerRegistryTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@Test
	void startedServerShouldBeRegisteredThenDeregisteredAndDrained() throws Exception {
		try (RawEtcd raw = new RawEtcd(etcd.endpoints());
				EtcdServerRegistry registrations = registrations(raw.client(), Duration.ofMillis(300))) {
			registrations.serverStarted(7101);
			registrations.register().get(5, TimeUnit.SECONDS);
			assertThat(raw.values("/plain/orders/")).containsEntry("/plain/orders/127.0.0.1:7101", "2");
			long started = System.nanoTime();
			registrations.deregisterAndDrain();
			assertThat(raw.list("/plain/orders/")).isEmpty();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
			assertThat(registrations.statuses()).extracting(RegistrationStatus::state)
				.containsExactly(RegistrationState.DEREGISTERED);
		}
	}

	@Test
	void registerAfterDeregisterShouldCompleteOnceRegisteredAgain() throws Exception {
		try (RawEtcd raw = new RawEtcd(etcd.endpoints());
				EtcdServerRegistry registrations = registrations(raw.client(), Duration.ZERO)) {
			registrations.serverStarted(7102);
			registrations.register().get(5, TimeUnit.SECONDS);
			registrations.deregister();
			assertThat(raw.list("/plain/orders/")).isEmpty();
			registrations.register().get(5, TimeUnit.SECONDS);
			assertThat(registrations.statuses().get(0).state()).isEqualTo(RegistrationState.REGISTERED);
			assertThat(raw.list("/plain/orders/")).hasSize(1);
		}
	}

	@Test
	void serverThatNeverGotIntoEtcdShouldNotWaitTheDrainDelay() {
		// Nothing listens on port 1: the registration stays REGISTERING.
		try (Client unreachable = Client.builder().endpoints("http://127.0.0.1:1").build();
				EtcdServerRegistry registrations = registrations(unreachable, Duration.ofSeconds(60))) {
			registrations.serverStarted(7103);
			assertTimeoutPreemptively(Duration.ofSeconds(10), registrations::deregisterAndDrain);
		}
	}

	@Test
	void weightOutOfRangeShouldBeRefusedNamingTheRange() {
		try (RawEtcd raw = new RawEtcd(etcd.endpoints());
				EtcdServerRegistry registrations = registrations(raw.client(), Duration.ZERO)) {
			assertThatIllegalArgumentException().isThrownBy(() -> registrations.updateWeight(11))
				.withMessage("weight must be from 1 to 10, was 11");
		}
	}

	private static EtcdServerRegistry registrations(Client client, Duration drainDelay) {
		return new EtcdServerRegistry(client, "orders",
				(port) -> new RegistryEntry("/plain", "orders", "127.0.0.1", port, 2), Duration.ofSeconds(5), 10,
				drainDelay);
	}

}
