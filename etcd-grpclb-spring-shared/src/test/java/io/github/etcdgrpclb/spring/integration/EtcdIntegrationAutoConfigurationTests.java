package io.github.etcdgrpclb.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.etcdgrpclb.spring.election.EtcdLeaderAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.lock.EtcdLockAutoConfiguration;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

class EtcdIntegrationAutoConfigurationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdLockAutoConfiguration.class,
				EtcdLeaderAutoConfiguration.class, EtcdIntegrationAutoConfiguration.class))
		.withPropertyValues("etcd.endpoints=" + etcd.endpoints());

	@Test
	void springIntegrationShouldGetTheEtcdLockRegistry() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(LockRegistry.class)
			.getBean(LockRegistry.class)
			.isInstanceOf(EtcdLockRegistry.class));
	}

	@Test
	void applicationsOwnLockRegistryShouldWin() {
		this.contextRunner.withUserConfiguration(OwnLockRegistry.class)
			.run((context) -> assertThat(context).hasSingleBean(LockRegistry.class)
				.doesNotHaveBean(EtcdLockRegistry.class));
	}

	@Test
	void withoutSpringIntegrationNothingShouldBeAdded() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(LockRegistry.class))
			.withUserConfiguration(OneCandidate.class)
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdLockRegistry.class)
				.doesNotHaveBean(EtcdLeaderInitiator.class));
	}

	@Test
	void switchedOffNothingShouldBeAdded() {
		this.contextRunner.withPropertyValues("etcd.integration.enabled=false")
			.withUserConfiguration(OneCandidate.class)
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdLockRegistry.class)
				.doesNotHaveBean(EtcdLeaderInitiator.class));
	}

	@Test
	void singleCandidateShouldGetAnEtcdElectionUnlessTheApplicationRunsAnInitiator() {
		this.contextRunner.withUserConfiguration(OneCandidate.class)
			.run((context) -> assertThat(context).hasSingleBean(EtcdLeaderInitiator.class));
		this.contextRunner.withUserConfiguration(OneCandidate.class, OwnInitiator.class)
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdLeaderInitiator.class));
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(EtcdLeaderInitiator.class));
	}

	@Test
	void candidateRoleThatIsNotOneKeySegmentShouldFailStartupNamingIt() {
		this.contextRunner.withBean(DefaultCandidate.class, () -> new DefaultCandidate("one", "reports/daily"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("role names its etcd election")
				.hasMessageContaining("reports/daily"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnLockRegistry {

		@Bean
		LockRegistry ownLockRegistry() {
			return new DefaultLockRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OneCandidate {

		@Bean
		DefaultCandidate candidate() {
			return new DefaultCandidate("one", "reports");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnInitiator {

		@Bean
		LockRegistryLeaderInitiator ownInitiator(DefaultCandidate candidate) {
			LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(new DefaultLockRegistry(), candidate);
			initiator.setAutoStartup(false);
			return initiator;
		}

	}

}
