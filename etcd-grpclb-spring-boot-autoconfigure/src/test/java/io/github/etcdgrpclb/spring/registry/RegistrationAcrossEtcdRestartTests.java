package io.github.etcdgrpclb.spring.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.etcd.jetcd.KeyValue;
import io.github.etcdgrpclb.registry.RegistrationState;
import io.github.etcdgrpclb.spring.support.EchoServerApplication;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * etcd killed for longer than the lease TTL and started again on the same data: the server must
 * register again by itself, with exactly one key.
 */
class RegistrationAcrossEtcdRestartTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@Test
	void serverShouldRegisterAgainAfterEtcdWasDownLongerThanTheTtl() {
		try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints());
				RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			String key = "/grpclb/echo/127.0.0.1:" + EtcdServiceRegistrationIntegrationTests.port(context);
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			long firstLease = raw.get(key).getLease();

			etcd.etcd().member(0).kill();
			// jetcd gives up the keep-alive once the TTL (2 s) passes without an answer.
			await().atMost(Duration.ofSeconds(15))
				.until(() -> EtcdServiceRegistrationIntegrationTests.status(context).state() == RegistrationState.RECONNECTING);
			long restarted = System.nanoTime();
			etcd.etcd().member(0).start();

			await().atMost(Duration.ofSeconds(10)).until(() -> {
				KeyValue kv = raw.get(key);
				return kv != null && kv.getLease() != firstLease
						&& kv.getLease() == EtcdServiceRegistrationIntegrationTests.status(context).leaseId();
			});
			System.out.printf("re-registered %d ms after etcd was started again%n",
					Duration.ofNanos(System.nanoTime() - restarted).toMillis());
			assertThat(raw.list("/grpclb/echo/")).hasSize(1);
			assertThat(EtcdServiceRegistrationIntegrationTests.status(context).state())
				.isEqualTo(RegistrationState.REGISTERED);
			assertThat(EtcdServiceRegistrationIntegrationTests.status(context).reRegistrations()).isEqualTo(1);
			// The old lease comes back with etcd's data; once it expires our key must stay.
			await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> raw.get(key) != null);
		}
	}

}
