package io.github.etcdgrpclb.spring.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.etcdgrpclb.support.CallLoad;
import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.spring.support.EchoServerApplication;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 1: three servers restarted one after the other through the graceful path (context
 * close: deregister, drain, stop; then a new context) while a client calls as fast as it can.
 */
class RollingRestartTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@Test
	void rollingRestartUnderLoadShouldFailNoCall() throws Exception {
		List<ConfigurableApplicationContext> servers = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			servers.add(server("s" + i));
		}
		// The target names its etcd: resolved by a client of its own, not by a server context's provider.
		ManagedChannel channel = ManagedChannelBuilder
			.forTarget("etcd://" + etcd.etcd().member(0).clientEndpoint().getAuthority() + "/echo")
			.usePlaintext()
			.build();
		try {
			EchoCalls.awaitServing(channel, 3);
			long started = System.nanoTime();
			CallLoad load = new CallLoad(channel, 4);
			try (load) {
				for (int i = 0; i < 3; i++) {
					servers.get(i).close();
					String next = "s" + i + "-restarted";
					servers.set(i, server(next));
					await().atMost(Duration.ofSeconds(10)).until(() -> load.answeredBy(next) > 100);
				}
			}
			double seconds = (System.nanoTime() - started) / 1e9;
			System.out.printf("rolling restart: %d calls in %.1f s (%.0f/s), %d failed%n", load.succeeded(), seconds,
					load.succeeded() / seconds, load.failed());
			assertThat(load.failed()).isZero();
			assertThat(load.succeeded() / seconds).as("calls per second").isGreaterThan(200);
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			servers.forEach(ConfigurableApplicationContext::close);
		}
	}

	private static ConfigurableApplicationContext server(String name) {
		// The drain delay lets clients see the deregistration before the server stops serving.
		return EchoServerApplication.start(etcd.endpoints(), "echo.name=" + name, "etcd.registry.drain-delay=300ms",
				"logging.level.root=WARN");
	}

}
