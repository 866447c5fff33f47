package io.github.etcdgrpclb.spring.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockNotAcquiredException;
import io.github.etcdgrpclb.registry.RegistrationState;
import io.github.etcdgrpclb.support.CallLoad;
import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.spring.support.EchoServerApplication;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 4: etcd entirely down for three lease TTLs (6 s with a 2 s TTL) under load, with one server
 * stopping for good during the outage. The long form, 30 s (15 TTLs): {@code -Dgrpclb.outage=30s}
 * ({@code .ci/run --long} runs it).
 */
class EtcdOutageTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private static final Duration OUTAGE = DurationStyle.detectAndParse(System.getProperty("grpclb.outage", "6s"));

	@Test
	void outageShouldNotStopCallsAndEveryLiveServerShouldBeBackWithOneKeyAndNoStaleKey() throws Exception {
		List<ConfigurableApplicationContext> servers = new ArrayList<>(List.of(server("a"), server("b"), server("gone")));
		ManagedChannel channel = ManagedChannelBuilder
			.forTarget("etcd://" + etcd.etcd().member(0).clientEndpoint().getAuthority() + "/echo")
			.usePlaintext()
			.build();
		try (RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			EchoCalls.awaitServing(channel, 3);
			String goneKey = key(servers.get(2));
			EtcdLockTemplate locks = servers.get(0).getBean(EtcdLockTemplate.class);
			CallLoad load = new CallLoad(channel, 4);
			try (load) {
				etcd.etcd().member(0).stop();
				long outageStarted = System.nanoTime();
				// A lock waiter fails cleanly, at its wait time, with the reason.
				assertThatExceptionOfType(LockNotAcquiredException.class)
					.isThrownBy(() -> locks.tryLock("outage", Duration.ofSeconds(1)))
					.withMessageContaining("/locks/outage")
					.withMessageContaining("etcd");
				// A server stopping now cannot deregister: its key must still go once etcd is back.
				servers.remove(2).close();
				await().during(OUTAGE.minusNanos(System.nanoTime() - outageStarted))
					.atMost(OUTAGE.plusSeconds(5))
					.until(() -> load.failed() == 0);
				long beforeRecovery = load.succeeded();
				etcd.etcd().member(0).start();
				long recovered = System.nanoTime();
				for (ConfigurableApplicationContext server : servers) {
					ServerRegistry registration = server.getBean(ServerRegistry.class);
					await().atMost(Duration.ofSeconds(5))
						.until(() -> registration.statuses().get(0).state() == RegistrationState.REGISTERED);
				}
				System.out.printf("outage of %d s: every live server registered %.0f ms after etcd was back%n",
						OUTAGE.toSeconds(), (System.nanoTime() - recovered) / 1e6);
				await().atMost(Duration.ofSeconds(3)).until(() -> raw.get(goneKey) == null);
				System.out.printf("outage: the stopped server's key gone %.0f ms after etcd was back%n",
						(System.nanoTime() - recovered) / 1e6);
				assertThat(raw.values("/grpclb/echo/")).containsOnlyKeys(key(servers.get(0)), key(servers.get(1)));
				await().atMost(Duration.ofSeconds(5)).until(() -> load.succeeded() > beforeRecovery + 500);
			}
			System.out.printf("outage: %d calls, %d failed%n", load.succeeded(), load.failed());
			assertThat(load.failed()).isZero();
			locks.tryLock("outage", Duration.ofSeconds(2)).close();
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			servers.forEach(ConfigurableApplicationContext::close);
		}
	}

	private static String key(ConfigurableApplicationContext server) {
		return server.getBean(ServerRegistry.class).statuses().get(0).registration().key();
	}

	private static ConfigurableApplicationContext server(String name) {
		return EchoServerApplication.start(etcd.endpoints(), "echo.name=" + name, "logging.level.root=WARN");
	}

}
