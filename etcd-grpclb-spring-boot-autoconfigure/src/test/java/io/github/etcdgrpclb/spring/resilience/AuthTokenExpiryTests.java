package io.github.etcdgrpclb.spring.resilience;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static io.github.etcdgrpclb.etcd.EtcdBytes.text;
import static io.github.etcdgrpclb.support.EchoCalls.awaitServing;
import static io.github.etcdgrpclb.support.EchoCalls.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.spring.actuate.EtcdClientMetricsInterceptor;
import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockLease;
import io.github.etcdgrpclb.registry.RegistrationState;
import io.github.etcdgrpclb.registry.RegistrationStatus;
import io.github.etcdgrpclb.spring.support.EchoServerApplication;
import io.github.etcdgrpclb.support.PlainEchoServer;
import io.github.etcdgrpclb.test.EtcdCluster;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * etcd's auth tokens expire (simple tokens after 5 minutes without use; 1 s here). Keep-alives and
 * watches are long-lived streams opened with the first token, so an application's token expires
 * while it runs; its next request, its next watch on the open stream, must get a new one instead of
 * failing for good (a failure mode of other etcd clients: jetcd#177, jetcd#659).
 */
class AuthTokenExpiryTests {

	private static final Duration TOKEN_TTL = Duration.ofSeconds(1);

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension
		.of(EtcdCluster.builder().auth("root-secret").authTokenTtl(TOKEN_TTL));

	@Test
	void registrationDiscoveryAndLocksShouldOutliveTheApplicationsAuthToken() throws Exception {
		etcd.etcd().addUser("app", "app-secret", "/grpclb/", "/locks/");
		SimpleMeterRegistry probeCalls = new SimpleMeterRegistry();
		try (Client root = Client.builder().endpoints(etcd.endpoints()).user(bytes("root")).password(bytes("root-secret")).build();
				Client probe = Client.builder().endpoints(etcd.endpoints()).user(bytes("app")).password(bytes("app-secret"))
					.interceptor(new EtcdClientMetricsInterceptor(probeCalls)).build();
				ConfigurableApplicationContext app = EchoServerApplication.start(etcd.endpoints(), "etcd.user=app",
						"etcd.password=app-secret", "echo.name=app", "logging.level.root=ERROR")) {
			ServerRegistry registration = app.getBean(ServerRegistry.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> registration.statuses().get(0).state() == RegistrationState.REGISTERED);
			String key = registration.statuses().get(0).registration().key();
			// Resolved by the application's provider, so through the application's client and token.
			ManagedChannel echo = ManagedChannelBuilder.forTarget("etcd:///echo").usePlaintext().build();
			ManagedChannel other = ManagedChannelBuilder.forTarget("etcd:///other").usePlaintext().build();
			PlainEchoServer late = null;
			PlainEchoServer otherServer = null;
			try {
				awaitServing(echo, 1);
				probe.getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS);

				// An expired token shows nowhere until it is used: nothing to await.
				Thread.sleep(3 * TOKEN_TTL.toMillis());

				// The premise: a client idle that long has its next request refused once (jetcd then
				// authenticates again and retries it).
				assertThat(probe.getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getCount()).isOne();
				Timer refused = probeCalls.find("etcd.client.requests").tag("status", "UNAUTHENTICATED").timer();
				assertThat(refused).as("requests refused for an expired token").isNotNull();
				assertThat(refused.count()).isPositive();

				// The keep-alive stream kept the registration: same lease, never re-registered.
				RegistrationStatus status = registration.statuses().get(0);
				assertThat(status.state()).isEqualTo(RegistrationState.REGISTERED);
				assertThat(status.reRegistrations()).isZero();
				assertThat(root.getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getCount()).isOne();

				// A unary request with the expired token: a lock.
				try (LockLease lock = app.getBean(EtcdLockTemplate.class).tryLock("after-expiry", Duration.ofSeconds(5))) {
					assertThat(lock.isValid()).isTrue();
				}

				// A new server seen through the open watch; a new target watched on the open watch stream.
				late = new PlainEchoServer(root, "/grpclb", "echo", "late", 1, Duration.ofSeconds(2));
				otherServer = new PlainEchoServer(root, "/grpclb", "other", "other", 1, Duration.ofSeconds(2));
				await().atMost(Duration.ofSeconds(10)).until(() -> call(echo, 100).containsKey("late"));
				awaitServing(other, 1);

				// A weight change: a put on the registration's lease.
				registration.updateWeight(7);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> "7".equals(text(root.getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getKvs().get(0).getValue())));
			}
			finally {
				echo.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
				other.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
				if (late != null) {
					late.close();
				}
				if (otherServer != null) {
					otherServer.close();
				}
			}
		}
	}

}
