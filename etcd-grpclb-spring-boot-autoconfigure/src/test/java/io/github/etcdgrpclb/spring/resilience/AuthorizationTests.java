package io.github.etcdgrpclb.spring.resilience;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.spring.actuate.GrpclbEndpoint;
import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockLease;
import io.github.etcdgrpclb.lock.LockNotAcquiredException;
import io.github.etcdgrpclb.registry.RegistrationState;
import io.github.etcdgrpclb.registry.RegistrationStatus;
import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.spring.support.EchoServerApplication;
import io.github.etcdgrpclb.test.EtcdCluster;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 7, authorization: etcd with auth enabled, an application whose role is limited to the
 * registry and lock prefixes, and one whose role covers neither. (Client TLS, mutual TLS, a wrong
 * password and an untrusted certificate: EtcdSecurityIntegrationTests.)
 */
class AuthorizationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.of(EtcdCluster.builder().auth("root-secret"));

	@Test
	void roleLimitedToTheRegistryAndLockPrefixesShouldBeEnoughForEverything() throws Exception {
		etcd.etcd().addUser("app", "app-secret", "/grpclb/", "/locks/");
		try (ConfigurableApplicationContext app = server("app", "app-secret")) {
			RegistrationStatus status = app.getBean(ServerRegistry.class).statuses().get(0);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> app.getBean(ServerRegistry.class).statuses().get(0).state() == RegistrationState.REGISTERED);
			ManagedChannel channel = ManagedChannelBuilder.forTarget("etcd:///echo").usePlaintext().build();
			try {
				EchoCalls.awaitServing(channel, 1);
			}
			finally {
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
			try (LockLease lock = app.getBean(EtcdLockTemplate.class).tryLock("limited", Duration.ofSeconds(2))) {
				assertThat(lock.isValid()).isTrue();
				// Everything the endpoint can show, with a registration, a target and a lock: no credential.
				String shown = new ObjectMapper().findAndRegisterModules()
					.writeValueAsString(app.getBean(GrpclbEndpoint.class).grpclb());
				assertThat(shown).contains("/grpclb/echo/").contains("/locks/limited").doesNotContain("app-secret");
			}
			assertThat(status.registration().key()).startsWith("/grpclb/echo/");
		}
	}

	@Test
	void roleWithoutTheRightsShouldGetClearErrorsNotASilentEmptyList() throws Exception {
		etcd.etcd().addUser("outsider", "outsider-secret", "/elsewhere/");
		try (Client root = Client.builder().endpoints(etcd.endpoints()).user(bytes("root")).password(bytes("root-secret")).build()) {
			root.getKVClient().put(bytes("/grpclb/echo/127.0.0.1:1"), bytes("1")).get(5, TimeUnit.SECONDS);
		}
		try (ConfigurableApplicationContext app = server("outsider", "outsider-secret")) {
			ServerRegistry registration = app.getBean(ServerRegistry.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> registration.statuses().get(0).lastError() != null);
			RegistrationStatus status = registration.statuses().get(0);
			assertThat(status.state()).isNotEqualTo(RegistrationState.REGISTERED);
			assertThat(status.lastError()).containsIgnoringCase("permission denied");

			ManagedChannel channel = ManagedChannelBuilder.forTarget("etcd:///echo").usePlaintext().build();
			try {
				StatusRuntimeException failure = org.assertj.core.api.Assertions
					.catchThrowableOfType(() -> EchoCalls.call(channel, "x"), StatusRuntimeException.class);
				assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
				assertThat(failure.getStatus().getDescription()).contains("/grpclb/echo/")
					.containsIgnoringCase("permission denied");
			}
			finally {
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}

			assertThatExceptionOfType(LockNotAcquiredException.class)
				.isThrownBy(() -> app.getBean(EtcdLockTemplate.class).tryLock("denied", Duration.ofSeconds(2)))
				.withMessageContaining("permission denied");
		}
	}

	private static ConfigurableApplicationContext server(String user, String password) {
		return EchoServerApplication.start(etcd.endpoints(), "etcd.user=" + user, "etcd.password=" + password,
				"management.endpoints.web.exposure.include=grpclb", "logging.level.root=ERROR");
	}

}
