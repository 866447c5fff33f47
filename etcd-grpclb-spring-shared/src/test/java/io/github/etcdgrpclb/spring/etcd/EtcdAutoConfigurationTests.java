package io.github.etcdgrpclb.spring.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.github.etcdgrpclb.etcd.IncompatibleGrpcException;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

class EtcdAutoConfigurationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class));

	private ApplicationContextRunner withEtcd() {
		return this.contextRunner.withPropertyValues("etcd.endpoints=" + etcd.endpoints());
	}

	@Test
	void runWithEndpointsShouldCreateClientThatTalksToEtcd() {
		withEtcd().run((context) -> {
			Client client = context.getBean(Client.class);
			client.getKVClient().put(bytes("/autoconfig/k"), bytes("v")).get(5, TimeUnit.SECONDS);
			assertThat(client.getKVClient().get(bytes("/autoconfig/k")).get(5, TimeUnit.SECONDS).getKvs())
				.singleElement()
				.satisfies((kv) -> assertThat(kv.getValue().toString(StandardCharsets.UTF_8)).isEqualTo("v"));
		});
	}

	@Test
	void defaultsShouldMatchTheDocumentedValues() {
		withEtcd().withUserConfiguration(CapturingCustomizer.class).run((context) -> {
			ClientBuilder builder = context.getBean(CapturingCustomizer.class).builders.get(0);
			assertThat(builder.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(builder.keepaliveTime()).isEqualTo(Duration.ofSeconds(30));
			assertThat(builder.keepaliveTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(builder.retryDelay()).isEqualTo(500);
			assertThat(builder.retryMaxDelay()).isEqualTo(2500);
			assertThat(builder.retryMaxAttempts()).isEqualTo(2);
			assertThat(builder.retryMaxDuration()).isNull();
			assertThat(builder.maxInboundMessageSize()).isEqualTo(16 * 1024 * 1024);
			assertThat(builder.sslContext()).isNull();
			assertThat(builder.user()).isNull();
		});
	}

	@Test
	void propertiesShouldOverrideTheDefaults() {
		withEtcd().withUserConfiguration(CapturingCustomizer.class)
			.withPropertyValues("etcd.connect-timeout=2s", "etcd.keepalive-time=15s", "etcd.keepalive-timeout=3s",
					"etcd.retry.delay=100ms", "etcd.retry.max-delay=1s", "etcd.retry.max-attempts=5",
					"etcd.retry.max-duration=20s", "etcd.max-inbound-message-size=32MB")
			.run((context) -> {
				ClientBuilder builder = context.getBean(CapturingCustomizer.class).builders.get(0);
				assertThat(builder.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(builder.keepaliveTime()).isEqualTo(Duration.ofSeconds(15));
				assertThat(builder.keepaliveTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(builder.retryDelay()).isEqualTo(100);
				assertThat(builder.retryMaxDelay()).isEqualTo(1000);
				assertThat(builder.retryMaxAttempts()).isEqualTo(5);
				assertThat(builder.retryMaxDuration()).isEqualTo(Duration.ofSeconds(20));
				assertThat(builder.maxInboundMessageSize()).isEqualTo(32 * 1024 * 1024);
			});
	}

	@Test
	void bareHostAndPortEndpointShouldMeanHttp() {
		URI endpoint = etcd.etcd().member(0).clientEndpoint();
		this.contextRunner.withPropertyValues("etcd.endpoints=" + endpoint.getHost() + ":" + endpoint.getPort())
			.run((context) -> assertThat(context.getBean(Client.class).getKVClient()
				.get(bytes("/any"))
				.get(5, TimeUnit.SECONDS)
				.getKvs()).isEmpty());
	}

	@Test
	void namespaceShouldPrefixEveryKey() {
		withEtcd().withPropertyValues("etcd.namespace=/tenant-a").run((context) -> {
			context.getBean(Client.class).getKVClient().put(bytes("/ns-key"), bytes("1")).get(5, TimeUnit.SECONDS);
			try (Client raw = Client.builder().endpoints(etcd.etcd().clientEndpoints().toArray(URI[]::new)).build()) {
				assertThat(raw.getKVClient().get(bytes("/tenant-a/ns-key")).get(5, TimeUnit.SECONDS).getCount())
					.isEqualTo(1);
			}
		});
	}

	@Test
	void customizersShouldBeAppliedInOrderAfterTheProperties() {
		withEtcd().withPropertyValues("etcd.retry.max-attempts=5").withUserConfiguration(OrderedCustomizers.class)
			.run((context) -> {
				List<String> calls = context.getBean(OrderedCustomizers.class).calls;
				assertThat(calls).containsExactly("first saw 5", "second saw 7");
			});
	}

	@Test
	void userDefinedClientShouldMakeTheAutoConfigurationBackOff() {
		this.contextRunner.withUserConfiguration(UserClient.class).run((context) -> {
			assertThat(context).hasSingleBean(Client.class);
			assertThat(context.getBean(Client.class)).isSameAs(context.getBean(UserClient.class).client);
		});
	}

	@Test
	void unreachableEtcdShouldNotFailStartup() {
		this.contextRunner.withPropertyValues("etcd.endpoints=http://127.0.0.1:1", "etcd.connect-timeout=1s")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(Client.class));
	}

	@Test
	void missingEndpointsShouldFailWithAnalysisNamingTheProperty() {
		this.contextRunner.run((context) -> {
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'etcd.endpoints'").contains("required");
			assertThat(analysis.getAction()).contains("etcd.endpoints=http://127.0.0.1:2379");
		});
	}

	@Test
	void malformedEndpointShouldFailWithAnalysisNamingTheEntry() {
		assertInvalid("etcd.endpoints=http://127.0.0.1:2379,http://[::1", "etcd.endpoints[1]", "not a valid URI");
		assertInvalid("etcd.endpoints=ftp://127.0.0.1:2379", "etcd.endpoints[0]", "scheme must be http or https");
		assertInvalid("etcd.endpoints=http://127.0.0.1:2379/v3", "etcd.endpoints[0]", "no path");
		assertInvalid("etcd.endpoints=http://127.0.0.1:2379,https://127.0.0.1:2380", "etcd.endpoints", "mixes");
		assertInvalid("etcd.endpoints=http:/10.0.0.1:2379", "etcd.endpoints[0]", "the scheme is followed by one slash");
		assertInvalid("etcd.endpoints=http//10.0.0.1:2379", "etcd.endpoints[0]", "the scheme lacks its colon");
	}

	@Test
	void halfConfiguredCredentialsShouldFailWithAnalysisNamingTheMissingProperty() {
		assertInvalid("etcd.user=app", "etcd.password", "both a user and a password");
		assertInvalid("etcd.password=secret", "etcd.user", "both a user and a password");
	}

	@Test
	void nonPositiveDurationShouldFailWithAnalysisNamingTheProperty() {
		assertInvalid("etcd.connect-timeout=0s", "etcd.connect-timeout", "positive duration");
		assertInvalid("etcd.retry.max-attempts=-1", "etcd.retry.max-attempts", "negative");
	}

	@Test
	void nettyOlderThan42ShouldFailWithAnalysisThatSaysHowToUpgrade() {
		withEtcd().withClassLoader(new FilteredClassLoader("io.netty.channel.MultiThreadIoEventLoopGroup"))
			.run((context) -> {
				FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("jetcd needs Netty 4.2");
				assertThat(analysis.getAction()).contains("<netty.version>4.2").contains("etcd-grpclb-dependencies");
			});
	}

	private void assertInvalid(String property, String expectedProperty, String expectedReason) {
		this.contextRunner.withPropertyValues("etcd.endpoints=" + etcd.endpoints()).withPropertyValues(property)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'" + expectedProperty + "'").contains(expectedReason);
				assertThat(analysis.getAction()).isNotBlank();
			});
	}

	static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	@Configuration(proxyBeanMethods = false)
	static class CapturingCustomizer {

		final List<ClientBuilder> builders = new ArrayList<>();

		@Bean
		EtcdClientBuilderCustomizer capture() {
			return this.builders::add;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedCustomizers {

		final List<String> calls = new ArrayList<>();

		@Bean
		@Order(2)
		EtcdClientBuilderCustomizer second() {
			return (builder) -> this.calls.add("second saw " + builder.retryMaxAttempts());
		}

		@Bean
		@Order(1)
		EtcdClientBuilderCustomizer first() {
			return (builder) -> {
				this.calls.add("first saw " + builder.retryMaxAttempts());
				builder.retryMaxAttempts(7);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserClient {

		final Client client = Client.builder().endpoints(etcd.endpoints().split(",")).build();

		@Bean(destroyMethod = "close")
		Client myClient() {
			return this.client;
		}

	}

	@Test
	void mixedGrpcVersionsShouldBeExplainedWithTheArtifactsAndTheBomToImport() {
		FailureAnalysis analysis = FailureAnalyses.analyze(new org.springframework.beans.factory.BeanCreationException(
				"etcdClient", "failed", new IncompatibleGrpcException(
						java.util.Map.of("grpc-core", "1.84.1", "grpc-netty-shaded", "1.63.0", "grpc-services", "1.63.0"))));
		assertThat(analysis.getDescription()).contains("io.grpc:grpc-core:1.84.1", "io.grpc:grpc-netty-shaded:1.63.0",
				"io.grpc:grpc-services:1.63.0");
		assertThat(analysis.getAction()).contains("io.grpc:grpc-bom:1.84.1", "etcd-grpclb-dependencies");
	}

}
