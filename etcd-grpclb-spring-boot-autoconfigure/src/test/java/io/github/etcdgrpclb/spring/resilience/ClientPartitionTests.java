package io.github.etcdgrpclb.spring.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockNotAcquiredException;
import io.github.etcdgrpclb.support.CallLoad;
import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.spring.support.EchoServerApplication;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.github.etcdgrpclb.test.TcpProxy;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 5: one client cut off from etcd (its connections go through a proxy that is blocked)
 * while the servers and etcd carry on.
 */
class ClientPartitionTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private static final Duration PARTITION = Duration.ofSeconds(6);

	@Test
	void partitionedClientShouldKeepCallingKnownServersFailLockWaitsCleanlyAndCatchUpAfterwards() throws Exception {
		List<ConfigurableApplicationContext> servers = new ArrayList<>(List.of(server("a"), server("b")));
		try (TcpProxy proxy = new TcpProxy(etcd.etcd().member(0).clientEndpoint());
				Client proxied = Client.builder().endpoints(proxy.endpoint("http")).build();
				EtcdLockTemplate locks = new EtcdLockTemplate(proxied, "/locks", Duration.ofSeconds(5))) {
			ManagedChannel channel = ManagedChannelBuilder
				.forTarget("etcd://" + proxy.endpoint("http").getAuthority() + "/echo")
				.usePlaintext()
				.build();
			try {
				EchoCalls.awaitServing(channel, 2);
				CallLoad load = new CallLoad(channel, 4);
				try (load) {
					proxy.block();
					long cut = System.nanoTime();
					assertThatExceptionOfType(LockNotAcquiredException.class)
						.isThrownBy(() -> locks.tryLock("partition", Duration.ofSeconds(1)))
						.withMessageContaining("/locks/partition")
						.withMessageContaining("etcd");
					servers.add(server("c"));
					await().during(PARTITION.minusNanos(System.nanoTime() - cut))
						.atMost(PARTITION.plusSeconds(5))
						.until(() -> load.failed() == 0 && load.answeredBy("c") == 0);
					proxy.unblock();
					long healed = System.nanoTime();
					await().atMost(Duration.ofSeconds(10)).until(() -> load.answeredBy("c") > 0);
					System.out.printf("partition: the client saw the server registered meanwhile %.0f ms after the heal%n",
							(System.nanoTime() - healed) / 1e6);
				}
				System.out.printf("partition: %d calls, %d failed%n", load.succeeded(), load.failed());
				assertThat(load.failed()).isZero();
				locks.tryLock("partition", Duration.ofSeconds(5)).close();
			}
			finally {
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		}
		finally {
			servers.forEach(ConfigurableApplicationContext::close);
		}
	}

	private static ConfigurableApplicationContext server(String name) {
		return EchoServerApplication.start(etcd.endpoints(), "echo.name=" + name, "logging.level.root=WARN");
	}

}
