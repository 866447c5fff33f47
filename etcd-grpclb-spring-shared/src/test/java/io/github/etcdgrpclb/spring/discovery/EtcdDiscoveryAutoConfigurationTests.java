package io.github.etcdgrpclb.spring.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import io.github.etcdgrpclb.balancer.HealthPolicy;
import io.github.etcdgrpclb.balancer.RoutingPolicy;
import io.github.etcdgrpclb.discovery.DefaultEtcdNameResolverProvider;
import io.github.etcdgrpclb.discovery.DefaultGrpclbNameResolverProvider;
import io.github.etcdgrpclb.discovery.EtcdNameResolverProvider;
import io.github.etcdgrpclb.discovery.EtcdResolverSettings;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.NoEtcd;
import io.github.etcdgrpclb.spring.etcd.FailureAnalyses;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class EtcdDiscoveryAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class))
		.withPropertyValues(NoEtcd.PROPERTIES);

	@Test
	void runShouldRegisterEtcdAndGrpclbSchemesAboveTheDefaultProviders() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBeansOfType(EtcdNameResolverProvider.class)).hasSize(2);
			assertThat(providerFor("etcd")).isSameAs(context.getBean("etcdNameResolverProvider"));
			assertThat(providerFor("grpclb")).isSameAs(context.getBean("grpclbNameResolverProvider"));
		});
		// Closed: the plain META-INF providers serve plain grpc-java again.
		assertThat(providerFor("etcd")).isInstanceOf(DefaultEtcdNameResolverProvider.class);
		assertThat(providerFor("grpclb")).isInstanceOf(DefaultGrpclbNameResolverProvider.class);
	}

	@Test
	void targetsWithoutSchemeShouldStillResolveThroughDns() {
		this.contextRunner.run((context) -> assertThat(NameResolverRegistry.getDefaultRegistry().getDefaultScheme())
			.isEqualTo("dns"));
		assertThat(NameResolverRegistry.getDefaultRegistry().getDefaultScheme()).isEqualTo("dns");
	}

	@Test
	void runWhenDisabledShouldCreateNoProvider() {
		this.contextRunner.withPropertyValues("etcd.discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdNameResolverProvider.class));
	}

	@Test
	void runWithoutGrpcShouldCreateNoProvider() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(NameResolverProvider.class))
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdNameResolverProvider.class));
	}

	@Test
	void invalidResyncIntervalShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("etcd.discovery.resync-interval=0s").run((context) -> {
			assertThat(FailureAnalyses.analyze(context.getStartupFailure()).getDescription())
				.contains("'etcd.discovery.resync-interval'");
		});
	}

	@Test
	void invalidTargetShouldBeRejectedWithTheExpectedForm() {
		this.contextRunner.run((context) -> {
			EtcdNameResolverProvider provider = context.getBean("etcdNameResolverProvider", EtcdNameResolverProvider.class);
			org.assertj.core.api.Assertions
				.assertThatIllegalArgumentException()
				.isThrownBy(() -> provider.newNameResolver(URI.create("etcd:///a/b"), null))
				.withMessageContaining("etcd:///<service>");
		});
	}

	private static NameResolverProvider providerFor(String scheme) {
		return NameResolverRegistry.getDefaultRegistry().getProviderForScheme(scheme);
	}

	@Test
	void runShouldGiveTheBalancerHealthAwareDefaults() {
		this.contextRunner.run((context) -> assertThat(settings(context).health()).isEqualTo(HealthPolicy.DEFAULT));
	}

	@Test
	void healthPropertiesShouldReachTheBalancersPolicy() {
		this.contextRunner
			.withPropertyValues("etcd.discovery.health.interval=1s",
					"etcd.discovery.health.failure-statuses=UNAVAILABLE,RESOURCE_EXHAUSTED",
					"etcd.discovery.health.ejection.max-percent=34", "etcd.discovery.health.latency.min-difference=20ms",
					"etcd.discovery.slow-start.window=30s", "etcd.discovery.slow-start.aggression=2")
			.run((context) -> {
				HealthPolicy health = settings(context).health();
				assertThat(health.interval()).isEqualTo(Duration.ofSeconds(1));
				assertThat(health.failureStatuses()).containsExactlyInAnyOrder(Status.Code.UNAVAILABLE,
						Status.Code.RESOURCE_EXHAUSTED);
				assertThat(health.ejection().maxPercent()).isEqualTo(34);
				assertThat(health.latency().minDifference()).isEqualTo(Duration.ofMillis(20));
				assertThat(health.slowStart()).isEqualTo(new HealthPolicy.SlowStart(Duration.ofSeconds(30), 10, 2.0));
			});
	}

	@Test
	void healthDisabledShouldRestoreTheTutorialsStaticWeights() {
		this.contextRunner.withPropertyValues("etcd.discovery.health.enabled=false")
			.run((context) -> assertThat(settings(context).health().adjustsWeights()).isFalse());
	}

	@Test
	void invalidHealthPropertiesShouldFailNamingTheProperty() {
		assertInvalid("etcd.discovery.health.ejection.failure-threshold", "etcd.discovery.health.ejection.failure-threshold=25");
		assertInvalid("etcd.discovery.health.ejection.max-percent", "etcd.discovery.health.ejection.max-percent=150");
		assertInvalid("etcd.discovery.health.ejection.max-time", "etcd.discovery.health.ejection.max-time=1s");
		assertInvalid("etcd.discovery.health.latency.tolerance", "etcd.discovery.health.latency.tolerance=0.5");
		assertInvalid("etcd.discovery.health.failure-statuses", "etcd.discovery.health.failure-statuses=OK");
		assertInvalid("etcd.discovery.health.interval", "etcd.discovery.health.interval=0s");
		assertInvalid("etcd.discovery.slow-start.window", "etcd.discovery.slow-start.window=-1s");
	}

	@Test
	void callersZoneShouldBeTheZoneItRegistersInUnlessSetForDiscovery() {
		this.contextRunner.withPropertyValues("etcd.registry.metadata.zone=eu-1a")
			.run((context) -> assertThat(settings(context).routing().zone()).isEqualTo("eu-1a"));
		this.contextRunner.withPropertyValues("etcd.registry.metadata.zone=eu-1a", "etcd.discovery.zone=eu-1b")
			.run((context) -> assertThat(settings(context).routing().zone()).isEqualTo("eu-1b"));
		this.contextRunner.withPropertyValues("etcd.discovery.zone=eu-1b", "etcd.discovery.zone-affinity.enabled=false")
			.run((context) -> assertThat(settings(context).routing().zone()).isNull());
		this.contextRunner.run((context) -> assertThat(settings(context).routing()).isEqualTo(RoutingPolicy.DEFAULT));
	}

	@Test
	void routingPropertiesShouldReachTheBalancersPolicy() {
		this.contextRunner
			.withPropertyValues("etcd.discovery.zone=a", "etcd.discovery.zone-affinity.min-local-percent=80",
					"etcd.discovery.tags.isolate=false", "etcd.discovery.tags.strict=true")
			.run((context) -> assertThat(settings(context).routing()).isEqualTo(new RoutingPolicy("a", 80, false, true)));
		assertInvalid("etcd.discovery.zone-affinity.min-local-percent",
				"etcd.discovery.zone-affinity.min-local-percent=120");
	}

	private void assertInvalid(String property, String setting) {
		this.contextRunner.withPropertyValues(setting).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(FailureAnalyses.analyze(context.getStartupFailure()).getDescription())
				.contains("'" + property + "'");
		});
	}

	private static EtcdResolverSettings settings(AssertableApplicationContext context) {
		return context.getBean("etcdNameResolverProvider", EtcdNameResolverProvider.class).settings();
	}

}
