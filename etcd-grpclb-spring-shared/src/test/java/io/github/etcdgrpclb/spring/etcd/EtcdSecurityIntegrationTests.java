package io.github.etcdgrpclb.spring.etcd;

import static io.github.etcdgrpclb.spring.etcd.EtcdAutoConfigurationTests.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.test.EtcdCluster;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.github.etcdgrpclb.test.EtcdTls;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * The client against an etcd that requires mutual TLS, and one that requires a password.
 */
class EtcdSecurityIntegrationTests {

	private static final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class));

	@Nested
	class MutualTls {

		@RegisterExtension
		static final EtcdExtension etcd = EtcdExtension.of(EtcdCluster.builder().mutualTls("client"));

		@Test
		void trustedCaAndClientCertificateShouldWork() {
			EtcdTls tls = etcd.etcd().tls();
			contextRunner.withPropertyValues(tlsProperties(tls.caCertificate(), tls.clientCertificate(), tls.clientKey()))
				.run((context) -> {
					Client client = context.getBean(Client.class);
					client.getKVClient().put(bytes("/tls/k"), bytes("v")).get(5, TimeUnit.SECONDS);
					assertThat(client.getKVClient().get(bytes("/tls/k")).get(5, TimeUnit.SECONDS).getCount()).isOne();
				});
		}

		/**
		 * A web application's resource loader reads a plain path from the servlet context: the PEM files
		 * are files all the same, as with Spring Boot's own PEM properties.
		 */
		@Test
		void plainFilePathsShouldWorkInAWebApplication() {
			EtcdTls tls = etcd.etcd().tls();
			new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class))
				.withPropertyValues("etcd.endpoints=" + etcd.endpoints(), "etcd.tls.trust-certificate=" + tls.caCertificate(),
						"etcd.tls.certificate=" + tls.clientCertificate(), "etcd.tls.private-key=" + tls.clientKey())
				.run((context) -> {
					assertThat(context).hasNotFailed();
					Client client = context.getBean(Client.class);
					client.getKVClient().put(bytes("/tls/web"), bytes("v")).get(5, TimeUnit.SECONDS);
					assertThat(client.getKVClient().get(bytes("/tls/web")).get(5, TimeUnit.SECONDS).getCount()).isOne();
				});
		}

		@Test
		void untrustedServerCertificateShouldFailStartupNamingTheTrustProperty(@TempDir Path otherCa) {
			EtcdTls tls = etcd.etcd().tls();
			EtcdTls stranger = EtcdTls.generate(otherCa, "client");
			contextRunner
				.withPropertyValues(tlsProperties(stranger.caCertificate(), tls.clientCertificate(), tls.clientKey()))
				.run((context) -> {
					FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("TLS handshake with etcd");
					assertThat(analysis.getAction()).contains("etcd.tls.trust-certificate");
				});
		}

		@Test
		void missingClientCertificateShouldFailStartup() {
			EtcdTls tls = etcd.etcd().tls();
			contextRunner
				.withPropertyValues("etcd.endpoints=" + etcd.endpoints(),
						"etcd.tls.trust-certificate=file:" + tls.caCertificate())
				.run((context) -> {
					FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("TLS handshake with etcd");
					assertThat(analysis.getAction()).contains("etcd.tls.certificate");
				});
		}

		@Test
		void nonexistentTrustFileShouldFailStartupNamingTheProperty() {
			contextRunner
				.withPropertyValues("etcd.endpoints=" + etcd.endpoints(),
						"etcd.tls.trust-certificate=file:/nonexistent/ca.pem")
				.run((context) -> {
					FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("'etcd.tls.trust-certificate'")
						.contains("does not exist");
				});
		}

		@Test
		void certificateWithoutKeyShouldFailStartupNamingTheMissingProperty() {
			EtcdTls tls = etcd.etcd().tls();
			contextRunner
				.withPropertyValues("etcd.endpoints=" + etcd.endpoints(),
						"etcd.tls.certificate=file:" + tls.clientCertificate())
				.run((context) -> assertThat(FailureAnalyses.analyze(context.getStartupFailure()).getDescription())
					.contains("'etcd.tls.private-key'"));
		}

		@Test
		void keyThatIsNotPkcs8ShouldFailStartupWithTheConversionCommand(@TempDir Path dir) throws Exception {
			EtcdTls tls = etcd.etcd().tls();
			Path sec1 = dir.resolve("key.pem");
			Files.writeString(sec1, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n");
			contextRunner.withPropertyValues(tlsProperties(tls.caCertificate(), tls.clientCertificate(), sec1))
				.run((context) -> {
					FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("'etcd.tls.private-key'").contains("PKCS#8");
					assertThat(analysis.getAction()).contains("openssl pkcs8 -topk8");
				});
		}

		@Test
		void springBootSslBundleShouldConnectWithMutualTls() {
			EtcdTls tls = etcd.etcd().tls();
			withSslBundles().withPropertyValues(bundleProperties("etcd", tls))
				.withPropertyValues("etcd.endpoints=" + etcd.endpoints(), "etcd.tls.bundle=etcd")
				.run((context) -> {
					Client client = context.getBean(Client.class);
					client.getKVClient().put(bytes("/bundle/k"), bytes("v")).get(5, TimeUnit.SECONDS);
					assertThat(client.getKVClient().get(bytes("/bundle/k")).get(5, TimeUnit.SECONDS).getCount()).isOne();
				});
		}

		@Test
		void unknownSslBundleShouldFailStartupNamingThePropertyAndTheBundlesThereAre() {
			EtcdTls tls = etcd.etcd().tls();
			withSslBundles().withPropertyValues(bundleProperties("grpc-server", tls))
				.withPropertyValues("etcd.endpoints=" + etcd.endpoints(), "etcd.tls.bundle=etcd")
				.run((context) -> {
					FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("'etcd.tls.bundle'")
						.contains("no SSL bundle of that name; the bundles are [grpc-server]");
					assertThat(analysis.getAction()).contains("spring.ssl.bundle.pem.etcd.truststore.certificate");
				});
		}

		@Test
		void sslBundleTogetherWithPemPropertiesShouldFailStartup() {
			EtcdTls tls = etcd.etcd().tls();
			withSslBundles().withPropertyValues(bundleProperties("etcd", tls))
				.withPropertyValues("etcd.endpoints=" + etcd.endpoints(), "etcd.tls.bundle=etcd",
						"etcd.tls.trust-certificate=file:" + tls.caCertificate())
				.run((context) -> assertThat(FailureAnalyses.analyze(context.getStartupFailure()).getDescription())
					.contains("'etcd.tls.bundle'")
					.contains("an SSL bundle and the PEM properties are alternatives"));
		}

		private ApplicationContextRunner withSslBundles() {
			return new ApplicationContextRunner().withConfiguration(
					AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class));
		}

		private String[] bundleProperties(String name, EtcdTls tls) {
			String prefix = "spring.ssl.bundle.pem." + name;
			return new String[] { prefix + ".truststore.certificate=file:" + tls.caCertificate(),
					prefix + ".keystore.certificate=file:" + tls.clientCertificate(),
					prefix + ".keystore.private-key=file:" + tls.clientKey() };
		}

		private String[] tlsProperties(Path ca, Path certificate, Path key) {
			return new String[] { "etcd.endpoints=" + etcd.endpoints(), "etcd.tls.trust-certificate=file:" + ca,
					"etcd.tls.certificate=file:" + certificate, "etcd.tls.private-key=file:" + key };
		}

	}

	@Nested
	class Authentication {

		@RegisterExtension
		static final EtcdExtension etcd = EtcdExtension.of(EtcdCluster.builder().auth("root-secret"));

		@Test
		void correctCredentialsShouldWork() {
			contextRunner
				.withPropertyValues("etcd.endpoints=" + etcd.endpoints(), "etcd.user=root", "etcd.password=root-secret")
				.run((context) -> {
					Client client = context.getBean(Client.class);
					client.getKVClient().put(bytes("/auth/k"), bytes("v")).get(5, TimeUnit.SECONDS);
					assertThat(client.getKVClient().get(bytes("/auth/k")).get(5, TimeUnit.SECONDS).getCount()).isOne();
				});
		}

		@Test
		void wrongPasswordShouldFailStartupNamingTheCredentialProperties() {
			contextRunner.withPropertyValues("etcd.endpoints=" + etcd.endpoints(), "etcd.user=root", "etcd.password=nope")
				.run((context) -> {
					FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("refused the credentials");
					assertThat(analysis.getAction()).contains("etcd.user and etcd.password");
				});
		}

		@Test
		void limitedUserShouldWorkWithinItsPrefix() {
			etcd.etcd().addUser("app", "app-secret", "/grpclb/");
			contextRunner
				.withPropertyValues("etcd.endpoints=" + etcd.endpoints(), "etcd.user=app", "etcd.password=app-secret")
				.run((context) -> {
					Client client = context.getBean(Client.class);
					client.getKVClient().put(bytes("/grpclb/svc/a"), bytes("1")).get(5, TimeUnit.SECONDS);
					assertThat(client.getKVClient().get(bytes("/grpclb/svc/a")).get(5, TimeUnit.SECONDS).getCount())
						.isOne();
				});
		}

	}

}
