package io.github.etcdgrpclb.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockLease;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.FailureAnalyses;
import io.github.etcdgrpclb.spring.etcd.NoEtcd;
import io.github.etcdgrpclb.spring.lock.EtcdLockAutoConfiguration;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Conditions of the actuator and metrics auto-configurations, and the lock meters against a real etcd.
 */
class EtcdObservabilityAutoConfigurationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdLockAutoConfiguration.class,
				EtcdEndpointAutoConfiguration.class, EtcdHealthAutoConfiguration.class, EtcdMetricsAutoConfiguration.class, EndpointAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
		.withPropertyValues("etcd.endpoints=" + etcd.endpoints(), "management.endpoints.web.exposure.include=grpclb");

	@Test
	void everythingShouldBeThereWithActuatorAndAMeterRegistry() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(GrpclbEndpoint.class)
			.hasSingleBean(EtcdHealthIndicator.class)
			.hasSingleBean(GrpclbMetrics.class)
			.hasSingleBean(EtcdLockMetrics.class));
	}

	@Test
	void endpointShouldNotExistWhenNotExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(GrpclbEndpoint.class));
	}

	@Test
	void healthIndicatorShouldHonourManagementHealthEtcdEnabled() {
		this.contextRunner.withPropertyValues("management.health.etcd.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdHealthIndicator.class));
	}

	@Test
	void unreachableEtcdShouldBeUnknownByDefaultAndDownWhenConfigured() {
		// A closed loopback port: etcd "down"; the client is built without verifying it.
		String[] away = { "etcd.endpoints=" + NoEtcd.ENDPOINT, "etcd.verify-on-startup=false", "etcd.health.timeout=300ms" };
		this.contextRunner.withPropertyValues(away).run((context) -> {
			org.springframework.boot.actuate.health.Health health = context.getBean(EtcdHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.UNKNOWN);
			assertThat(health.getDetails()).containsEntry("endpoints", NoEtcd.ENDPOINT)
				.containsEntry("error", "etcd did not answer within 300 ms");
		});
		this.contextRunner.withPropertyValues(away).withPropertyValues("etcd.health.unreachable-status=down")
			.run((context) -> assertThat(context.getBean(EtcdHealthIndicator.class).health().getStatus())
				.isEqualTo(org.springframework.boot.actuate.health.Status.DOWN));
	}

	@Test
	void unknownUnreachableStatusShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("etcd.health.unreachable-status=RED").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.analyze(context.getStartupFailure()).getDescription())
				.contains("'etcd.health.unreachable-status'");
		});
	}

	@Test
	void userBeansShouldReplaceOurs() {
		this.contextRunner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).hasSingleBean(GrpclbEndpoint.class);
			assertThat(context.getBean(GrpclbEndpoint.class)).isSameAs(context.getBean("userEndpoint"));
			assertThat(context.getBean("etcdHealthIndicator")).isSameAs(context.getBean(UserBeans.class).health);
		});
	}

	@Test
	void withoutAMeterRegistryThereShouldBeNoMeters() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdMetricsAutoConfiguration.class))
			.withPropertyValues(NoEtcd.PROPERTIES)
			.run((context) -> assertThat(context).doesNotHaveBean(GrpclbMetrics.class));
	}

	@Test
	void lockMetersShouldCountAcquisitionsTimeoutsAndALostLease() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			EtcdLockTemplate template = context.getBean(EtcdLockTemplate.class);
			try (RawEtcd raw = new RawEtcd(etcd.endpoints());
					EtcdLockTemplate other = new EtcdLockTemplate(raw.client(), "/locks", Duration.ofSeconds(5))) {
				try (LockLease held = other.tryLock("metered", Duration.ZERO)) {
					org.assertj.core.api.Assertions.assertThatThrownBy(() -> template.tryLock("metered", Duration.ofMillis(100)));
				}
				try (LockLease lock = template.tryLock("metered", Duration.ofSeconds(2))) {
					assertThat(registry.get("grpclb.lock.held").gauge().value()).isEqualTo(1);
					raw.revoke(lock.leaseId());
					await().atMost(Duration.ofSeconds(5))
						.until(() -> registry.get("grpclb.lock.leases.lost").counter().count() == 1);
				}
			}
			assertThat(registry.get("grpclb.lock.acquire").tag("outcome", "acquired").timer().count()).isEqualTo(1);
			assertThat(registry.get("grpclb.lock.acquire").tag("outcome", "timeout").timer().count()).isEqualTo(1);
			assertThat(registry.get("grpclb.lock.held").gauge().value()).isZero();
			assertThat(registry.get("etcd.client.requests").tag("method", "etcdserverpb.Lease/LeaseGrant").timer().count())
				.isPositive();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		final EtcdHealthIndicator health = new EtcdHealthIndicator(new EtcdHealthProbe(null, "", null, Duration.ofSeconds(1)), "UNKNOWN");

		@Bean
		GrpclbEndpoint userEndpoint() {
			return new GrpclbEndpoint(null, null, null, null, null);
		}

		@Bean
		EtcdHealthIndicator etcdHealthIndicator() {
			return this.health;
		}

	}

}
