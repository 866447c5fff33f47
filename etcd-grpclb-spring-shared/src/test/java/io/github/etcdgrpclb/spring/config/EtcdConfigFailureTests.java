package io.github.etcdgrpclb.spring.config;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.config.ConfigFolderStatus;
import io.github.etcdgrpclb.spring.etcd.FailureAnalyses;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdCluster;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.github.etcdgrpclb.test.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How an application that imports its configuration from etcd starts when etcd is away (with and
 * without {@code optional:}), and over TLS and with authentication.
 */
class EtcdConfigFailureTests {

	@Nested
	class EtcdAwayAtStartup {

		@RegisterExtension
		static final EtcdExtension etcd = EtcdExtension.single();

		private TcpProxy proxy;

		private ConfigurableApplicationContext app;

		@AfterEach
		void close() {
			if (this.app != null) {
				this.app.close();
			}
			this.proxy.close();
		}

		@Test
		void optionalImportShouldStartWithTheLocalValuesAndApplyEtcdsOnceItAnswers() {
			try (RawEtcd raw = new RawEtcd(etcd.endpoints())) {
				raw.put("/config/orders/order.greeting", "from etcd");
			}
			this.proxy = new TcpProxy(URI.create(etcd.endpoints()));
			this.proxy.block();
			this.app = ConfigApplication.start(this.proxy.endpoint("http").toString(),
					"--spring.config.import=optional:etcd:", "--etcd.config.timeout=1s");
			ConfigApplication.OrderProperties order = this.app.getBean(ConfigApplication.OrderProperties.class);
			assertThat(order.getGreeting()).isEqualTo("local");
			assertThat(this.app.getBean(EtcdConfigRefresher.class).folders()).allMatch((folder) -> folder.revision() == 0);
			this.proxy.unblock();
			await().atMost(Duration.ofSeconds(10)).until(() -> "from etcd".equals(order.getGreeting()));
			List<EtcdConfigChangedEvent> events = this.app.getBean(ConfigApplication.ChangeRecorder.class).events;
			// The event follows the rebinding.
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events)
				.anySatisfy((event) -> assertThat(event.getChangedProperties()).contains("order.greeting")));
		}

		@Test
		void requiredImportShouldFailStartupNamingTheImportAndTheEndpoints() {
			this.proxy = new TcpProxy(URI.create(etcd.endpoints()));
			this.proxy.block();
			String endpoint = this.proxy.endpoint("http").toString();
			Throwable failure = catchThrowable(() -> ConfigApplication.start(endpoint, "--spring.config.import=etcd:",
					"--etcd.config.timeout=1s"));
			assertThat(failure).isInstanceOf(EtcdConfigUnavailableException.class);
			FailureAnalysis analysis = FailureAnalyses.analyze(failure);
			assertThat(analysis.getDescription()).contains("spring.config.import=etcd:").contains(endpoint)
				.contains("/config/orders/");
			assertThat(analysis.getAction()).contains("etcd.endpoints").contains("spring.config.import=optional:etcd:");
		}

	}

	@Nested
	class MutualTls {

		@RegisterExtension
		static final EtcdExtension etcd = EtcdExtension.of(EtcdCluster.builder().mutualTls("client"));

		@Test
		void importShouldReadAndWatchOverMutualTls() throws Exception {
			String[] tls = { "--etcd.tls.trust-certificate=file:" + etcd.etcd().tls().caCertificate(),
					"--etcd.tls.certificate=file:" + etcd.etcd().tls().clientCertificate(),
					"--etcd.tls.private-key=file:" + etcd.etcd().tls().clientKey() };
			try (ConfigurableApplicationContext app = ConfigApplication.start(etcd.endpoints(),
					concat(tls, "--spring.config.import=etcd:"))) {
				EtcdConfigRefresher refresher = app.getBean(EtcdConfigRefresher.class);
				assertThat(refresher.folders()).allMatch(ConfigFolderStatus::connected);
				app.getBean(Client.class).getKVClient().put(bytes("/config/orders/order.greeting"), bytes("over tls")).get();
				ConfigApplication.OrderProperties order = app.getBean(ConfigApplication.OrderProperties.class);
				await().atMost(Duration.ofSeconds(5)).until(() -> "over tls".equals(order.getGreeting()));
			}
		}

		@Test
		void sslBundleShouldBeRefusedWithTheFix() {
			Throwable failure = catchThrowable(() -> ConfigApplication.start(etcd.endpoints(),
					"--spring.config.import=etcd:", "--etcd.tls.bundle=etcd"));
			assertThat(FailureAnalyses.analyze(failure).getAction()).contains("etcd.tls.trust-certificate");
		}

	}

	@Nested
	class Authentication {

		@RegisterExtension
		static final EtcdExtension etcd = EtcdExtension.of(EtcdCluster.builder().auth("root-secret"));

		@Test
		void importShouldReadAndWatchAsAUserAllowedOnlyItsConfiguration() throws Exception {
			etcd.etcd().addUser("orders", "orders-secret", "/config/");
			try (Client root = Client.builder().endpoints(etcd.endpoints()).user(bytes(EtcdCluster.ROOT))
				.password(bytes("root-secret")).build();
					ConfigurableApplicationContext app = ConfigApplication.start(etcd.endpoints(),
							"--spring.config.import=etcd:", "--etcd.user=orders", "--etcd.password=orders-secret")) {
				ConfigApplication.OrderProperties order = app.getBean(ConfigApplication.OrderProperties.class);
				assertThat(order.getGreeting()).isEqualTo("local");
				root.getKVClient().put(bytes("/config/orders/order.greeting"), bytes("authenticated")).get();
				await().atMost(Duration.ofSeconds(5)).until(() -> "authenticated".equals(order.getGreeting()));
			}
		}

		@Test
		void wrongPasswordShouldFailStartupEvenForAnOptionalImport() {
			Throwable failure = catchThrowable(() -> ConfigApplication.start(etcd.endpoints(),
					"--spring.config.import=optional:etcd:", "--etcd.user=root", "--etcd.password=wrong"));
			assertThat(FailureAnalyses.analyze(failure).getAction()).contains("etcd.password");
		}

	}

	private static String[] concat(String[] first, String... second) {
		String[] all = new String[first.length + second.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

}
