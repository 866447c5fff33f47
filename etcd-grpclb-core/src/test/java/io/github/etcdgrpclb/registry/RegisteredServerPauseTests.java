package io.github.etcdgrpclb.registry;

import static io.github.etcdgrpclb.support.EchoCalls.awaitServing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.github.etcdgrpclb.support.CallLoad;
import io.github.etcdgrpclb.support.EchoServerProcess;
import io.github.etcdgrpclb.support.PlainEchoServer;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.github.etcdgrpclb.test.Processes;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A registered server whose JVM stops for longer than its lease TTL (SIGSTOP, then SIGCONT) under
 * load: its key goes with the lease, clients stop sending to it, and when it goes on it registers
 * again by itself and gets calls; only calls in flight to it can fail.
 */
class RegisteredServerPauseTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	@Test
	void serverPausedPastItsTtlShouldLoseItsKeyRegisterAgainWhenItGoesOnAndGetCalls() throws Exception {
		try (EchoServerProcess paused = EchoServerProcess.start(etcd.endpoints(), "pause", "paused", 1, 2, null);
				PlainEchoServer steady = new PlainEchoServer(raw.client(), "/grpclb", "pause", "steady", 1,
						Duration.ofSeconds(5))) {
			String key = "/grpclb/pause/127.0.0.1:" + paused.port();
			ManagedChannel channel = ManagedChannelBuilder
				.forTarget("etcd://" + etcd.etcd().member(0).clientEndpoint().getAuthority() + "/pause")
				.usePlaintext()
				.build();
			awaitServing(channel, 2);
			CallLoad load = new CallLoad(channel, 4);
			long reRegisteredMillis;
			try (load) {
				await().atMost(Duration.ofSeconds(5)).until(() -> load.answeredBy("paused") > 100);
				Processes.pause(paused.process());
				await().atMost(Duration.ofSeconds(10)).until(() -> raw.get(key) == null);
				long steadyBefore = load.answeredBy("steady");
				await().atMost(Duration.ofSeconds(10)).until(() -> load.answeredBy("steady") > steadyBefore + 200);

				long resumed = System.nanoTime();
				Processes.resume(paused.process());
				await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> raw.get(key) != null);
				reRegisteredMillis = (System.nanoTime() - resumed) / 1_000_000;
				long pausedBefore = load.answeredBy("paused");
				await().atMost(Duration.ofSeconds(10)).until(() -> load.answeredBy("paused") > pausedBefore + 100);
			}
			finally {
				channel.shutdownNow();
			}
			System.out.printf("paused server registered again %d ms after it went on; %d of %d calls failed %s%n",
					reRegisteredMillis, load.failed(), load.succeeded() + load.failed(), load.failuresByCode());
			assertThat(reRegisteredMillis).as("registered again within 1 s of going on").isLessThan(1000);
			assertThat(load.failed()).as("at most the 4 calls in flight to it, %s", load.failuresByCode())
				.isLessThanOrEqualTo(4);
		}
	}

}
