package io.github.etcdgrpclb.spring.registry;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.etcdgrpclb.registry.EtcdServerRegistry;
import io.github.etcdgrpclb.registry.RegistryEntry;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.NoEtcd;
import io.github.etcdgrpclb.spring.etcd.FailureAnalyses;
import io.github.etcdgrpclb.spring.discovery.EtcdDiscoveryAutoConfiguration;
import io.github.etcdgrpclb.spring.discovery.EtcdGrpcClientAutoConfiguration;
import net.devh.boot.grpc.client.interceptor.GrpcGlobalClientInterceptor;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
import net.devh.boot.grpc.server.interceptor.GrpcGlobalServerInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class EtcdRegistryAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdRegistryAutoConfiguration.class))
		.withPropertyValues(NoEtcd.PROPERTIES)
		.withPropertyValues("spring.application.name=orders");

	@Test
	void runWithGrpcServerOnTheClasspathShouldCreateTheRegistration() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(EtcdServerRegistry.class));
	}

	@Test
	void runWithoutGrpcServerOnTheClasspathShouldNotCreateTheRegistration() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(GrpcServerStartedEvent.class))
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdServerRegistry.class));
	}

	@Test
	void runWithGrpcServerOnTheClasspathShouldListenToNetDevhServerEvents() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(NetDevhServerRegistrationListener.class));
	}

	@Test
	void runWithNetDevhShouldHandTheTagOfACallServedOnToTheCallsItMakes() {
		ApplicationContextRunner runner = this.contextRunner
			.withConfiguration(AutoConfigurations.of(EtcdDiscoveryAutoConfiguration.class, EtcdGrpcClientAutoConfiguration.class));
		runner.run((context) -> {
			assertThat(context).hasBean("grpclbTagFromIncomingCalls").hasBean("grpclbTagPropagation");
			assertThat(context.findAnnotationOnBean("grpclbTagFromIncomingCalls", GrpcGlobalServerInterceptor.class))
				.isNotNull();
			assertThat(context.findAnnotationOnBean("grpclbTagPropagation", GrpcGlobalClientInterceptor.class)).isNotNull();
		});
		runner.withPropertyValues("etcd.discovery.tags.propagate=false")
			.run((context) -> assertThat(context).doesNotHaveBean("grpclbTagFromIncomingCalls")
				.doesNotHaveBean("grpclbTagPropagation"));
	}

	@Test
	void runWhenDisabledShouldNotCreateTheRegistration() {
		this.contextRunner.withPropertyValues("etcd.registry.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdServerRegistry.class));
	}

	@Test
	void userDefinedRegistrationShouldMakeTheAutoConfigurationBackOff() {
		this.contextRunner.withUserConfiguration(UserRegistration.class).run((context) -> {
			assertThat(context).hasSingleBean(EtcdServerRegistry.class);
			assertThat(context).hasBean("myRegistration");
		});
	}

	@Test
	void weightOutOfRangeShouldFailNamingGrpcWeight() {
		assertInvalid("grpc.weight", "must be from 1 to 100", "grpc.weight=0");
		assertInvalid("grpc.weight", "must be from 1 to 100", "grpc.weight=101");
		assertInvalid("grpc.weight", "must be from 1 to 5", "grpc.weight=6", "etcd.registry.max-weight=5");
	}

	@Test
	void nonNumericWeightShouldFailNamingGrpcWeight() {
		this.contextRunner.withPropertyValues("grpc.weight=heavy").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("heavy");
			assertThat(context.getStartupFailure()).hasMessageContaining("grpc");
		});
	}

	@Test
	void invalidAddressShouldFailNamingTheProperty() {
		assertInvalid("etcd.registry.address", "port or scheme", "etcd.registry.address=10.0.0.1:9000");
		assertInvalid("etcd.registry.address", "neither a host name", "etcd.registry.address=http//x y");
	}

	@Test
	void ipv6AddressShouldBeAccepted() {
		this.contextRunner.withPropertyValues("etcd.registry.address=::1").run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void invalidServiceNameShouldFailNamingTheProperty() {
		assertInvalid("etcd.registry.service-name", "must not contain '/'", "etcd.registry.service-name=a/b");
		assertInvalid("spring.application.name", "must not contain '/'", "spring.application.name=my app");
	}

	@Test
	void clientOnlyApplicationShouldNeedNoServiceName() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdRegistryAutoConfiguration.class))
			.withPropertyValues(NoEtcd.PROPERTIES)
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(EtcdServerRegistry.class));
	}

	@Test
	void tooShortTtlAndNegativeDrainShouldFailNamingTheProperty() {
		assertInvalid("etcd.registry.ttl", "at least 2s", "etcd.registry.ttl=1s");
		assertInvalid("etcd.registry.drain-delay", "must not be negative", "etcd.registry.drain-delay=-1s");
	}

	@Test
	void prefixWithoutLeadingSlashShouldFailNamingTheProperty() {
		assertInvalid("etcd.registry.prefix", "must start with '/'", "etcd.registry.prefix=grpclb");
		assertInvalid("etcd.registry.prefix", "needs a name", "etcd.registry.prefix=/");
	}

	private void assertInvalid(String property, String reason, String... properties) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'" + property + "'").contains(reason);
			assertThat(analysis.getAction()).isNotBlank();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserRegistration {

		@Bean
		EtcdServerRegistry myRegistration(io.etcd.jetcd.Client client) {
			// A user's own: public constructor, Spring-free arguments.
			return new EtcdServerRegistry(client, "orders",
					(port) -> new RegistryEntry("/grpclb", "orders", "10.0.0.1", port, 1), Duration.ofSeconds(5),
					100, Duration.ZERO);
		}

	}

}
