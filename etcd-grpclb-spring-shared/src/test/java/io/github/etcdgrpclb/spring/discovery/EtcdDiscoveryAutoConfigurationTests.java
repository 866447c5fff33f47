package io.github.etcdgrpclb.spring.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import io.github.etcdgrpclb.discovery.DefaultEtcdNameResolverProvider;
import io.github.etcdgrpclb.discovery.DefaultGrpclbNameResolverProvider;
import io.github.etcdgrpclb.discovery.EtcdNameResolverProvider;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.NoEtcd;
import io.github.etcdgrpclb.spring.etcd.FailureAnalyses;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
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

}
