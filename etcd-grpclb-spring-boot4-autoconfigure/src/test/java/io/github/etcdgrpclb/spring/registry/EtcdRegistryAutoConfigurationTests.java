package io.github.etcdgrpclb.spring.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.registry.EtcdServerRegistry;
import io.github.etcdgrpclb.registry.RegistryEntry;
import io.github.etcdgrpclb.spring.actuate.EtcdEndpointAutoConfiguration;
import io.github.etcdgrpclb.spring.actuate.EtcdHealthAutoConfiguration;
import io.github.etcdgrpclb.spring.actuate.EtcdHealthIndicator;
import io.github.etcdgrpclb.spring.actuate.EtcdLockMetrics;
import io.github.etcdgrpclb.spring.actuate.EtcdMetricsAutoConfiguration;
import io.github.etcdgrpclb.spring.actuate.GrpclbEndpoint;
import io.github.etcdgrpclb.spring.actuate.GrpclbMetrics;
import io.github.etcdgrpclb.spring.discovery.EtcdDiscoveryAutoConfiguration;
import io.github.etcdgrpclb.spring.discovery.EtcdGrpcClientAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.NoEtcd;
import io.github.etcdgrpclb.spring.etcd.FailureAnalyses;
import io.github.etcdgrpclb.spring.lock.EtcdLockAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GlobalClientInterceptor;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * The Boot 4.1 line's wiring: Spring gRPC server events, Spring gRPC channels, Boot 4's health and
 * metrics packages.
 */
class EtcdRegistryAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdRegistryAutoConfiguration.class,
				EtcdDiscoveryAutoConfiguration.class, EtcdGrpcClientAutoConfiguration.class,
				EtcdLockAutoConfiguration.class, EtcdEndpointAutoConfiguration.class, EtcdHealthAutoConfiguration.class,
				EtcdMetricsAutoConfiguration.class, EndpointAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
		.withPropertyValues(NoEtcd.PROPERTIES)
		.withPropertyValues("spring.application.name=orders",
				"management.endpoints.web.exposure.include=grpclb");

	@Test
	void runWithSpringGrpcShouldRegisterOnItsServerEventsAndCustomizeItsChannels() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(EtcdServerRegistry.class)
			.hasSingleBean(SpringGrpcServerRegistrationListener.class)
			.hasSingleBean(GrpcChannelBuilderCustomizer.class));
	}

	@Test
	void runWithSpringGrpcShouldHandTheTagOfACallServedOnToTheCallsItMakes() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasBean("grpclbTagFromIncomingCalls").hasBean("grpclbTagPropagation");
			assertThat(context.findAnnotationOnBean("grpclbTagFromIncomingCalls", GlobalServerInterceptor.class)).isNotNull();
			assertThat(context.findAnnotationOnBean("grpclbTagPropagation", GlobalClientInterceptor.class)).isNotNull();
		});
		this.contextRunner.withPropertyValues("etcd.discovery.tags.propagate=false")
			.run((context) -> assertThat(context).doesNotHaveBean("grpclbTagFromIncomingCalls")
				.doesNotHaveBean("grpclbTagPropagation"));
	}

	@Test
	void runWithActuatorAndAMeterRegistryShouldProvideEndpointHealthAndMeters() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(GrpclbEndpoint.class)
			.hasSingleBean(EtcdHealthIndicator.class)
			.hasSingleBean(GrpclbMetrics.class)
			.hasSingleBean(EtcdLockMetrics.class));
	}

	@Test
	void runWithoutSpringGrpcServerShouldNotCreateTheRegistration() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(GrpcServerStartedEvent.class))
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdServerRegistry.class)
				.hasSingleBean(Client.class));
	}

	@Test
	void runWhenRegistryDisabledShouldNotCreateTheRegistration() {
		this.contextRunner.withPropertyValues("etcd.registry.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdServerRegistry.class));
	}

	@Test
	void runWhenHealthIndicatorDisabledShouldNotCreateIt() {
		this.contextRunner.withPropertyValues("management.health.etcd.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdHealthIndicator.class));
	}

	@Test
	void unreachableEtcdShouldBeUnknownByDefaultAndDownWhenConfigured() {
		// The runner's etcd is a closed loopback port: etcd "down".
		this.contextRunner.withPropertyValues("etcd.health.timeout=300ms").run((context) -> {
			Health health = context.getBean(EtcdHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
			assertThat(health.getDetails()).containsEntry("endpoints", NoEtcd.ENDPOINT)
				.containsEntry("error", "etcd did not answer within 300 ms");
		});
		this.contextRunner.withPropertyValues("etcd.health.timeout=300ms", "etcd.health.unreachable-status=down")
			.run((context) -> assertThat(context.getBean(EtcdHealthIndicator.class).health().getStatus())
				.isEqualTo(Status.DOWN));
	}

	@Test
	void userDefinedRegistrationsShouldMakeTheAutoConfigurationBackOff() {
		this.contextRunner.withUserConfiguration(UserRegistrations.class).run((context) -> {
			assertThat(context).hasSingleBean(EtcdServerRegistry.class);
			assertThat(context).hasBean("myRegistrations");
		});
	}

	@Test
	void invalidWeightShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("grpc.weight=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.analyze(context.getStartupFailure()).getDescription()).contains("'grpc.weight'");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserRegistrations {

		@Bean
		EtcdServerRegistry myRegistrations(Client client) {
			return new EtcdServerRegistry(client, "orders",
					(port) -> new RegistryEntry("/grpclb", "orders", "10.0.0.1", port, 1), Duration.ofSeconds(5),
					100, Duration.ZERO);
		}

	}

}
