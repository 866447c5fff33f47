package io.github.etcdgrpclb.spring.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.etcdgrpclb.spring.support.EchoServerApplication;
import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.support.EchoService;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The shutdown order on both lines, each with its own gRPC server ({@code EchoServerApplication} is the
 * line's): closing the application deletes its key first, keeps serving through the drain delay, lets a
 * call under way finish, then stops the server.
 */
class DrainOnCloseTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	@Test
	void closeShouldDeleteTheKeyWhileTheServerStillServesThenStopIt() throws Exception {
		ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints(),
				"etcd.registry.drain-delay=1500ms");
		int port = context.getBean(EchoServerApplication.ServerPort.class).get();
		String key = "/grpclb/echo/127.0.0.1:" + port;
		await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
		EchoService echo = context.getBean(EchoService.class);
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
		ExecutorService background = Executors.newFixedThreadPool(2);
		try {
			Future<String> inFlight = background.submit(() -> EchoCalls.call(channel, "hold"));
			assertThat(echo.awaitHeld(5)).isTrue();
			Future<?> closing = background.submit(context::close);
			await().atMost(Duration.ofSeconds(3)).until(() -> raw.get(key) == null);
			// The key is gone, yet the server still takes new calls: clients can drain away.
			assertThat(EchoCalls.call(channel, "late")).isEqualTo("echo:late");
			echo.release();
			assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("echo:hold");
			closing.get(40, TimeUnit.SECONDS);
			assertThat(EchoCalls.tryCall(channel)).isEqualTo("UNAVAILABLE");
		}
		finally {
			echo.release();
			channel.shutdownNow();
			background.shutdownNow();
			context.close();
		}
	}

}
