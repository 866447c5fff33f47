package io.github.etcdgrpclb.spring.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.FailureAnalyses;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Leader election wiring: off by default, leader-only methods never run without an election, and bad
 * settings fail startup naming the property.
 */
class EtcdLeaderAutoConfigurationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, EtcdAutoConfiguration.class,
				EtcdLeaderAutoConfiguration.class))
		.withBean(Job.class)
		.withPropertyValues("etcd.endpoints=" + etcd.endpoints(), "spring.application.name=reports");

	@Test
	void electionShouldBeOffByDefaultAndLeaderOnlyMethodsShouldThenNeverRun() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(EtcdLeadership.class);
			assertThat(context.getBean(Job.class).run()).isNull();
			assertThat(context.getBean(Job.class).runs()).isZero();
		});
	}

	@Test
	void enabledElectionShouldProvideTheLeadership() {
		this.contextRunner.withPropertyValues("etcd.leader.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(EtcdLeadership.class));
	}

	@Test
	void badNameOrTtlShouldFailStartupNamingTheProperty() {
		assertInvalid("etcd.leader.name", "must not contain '/' or white space", "etcd.leader.name=report writer");
		assertInvalid("etcd.leader.ttl", "at least 2s", "etcd.leader.ttl=1s");
		assertInvalid("etcd.leader.prefix", "must start with '/'", "etcd.leader.prefix=election");
	}

	private void assertInvalid(String property, String reason, String setting) {
		this.contextRunner.withPropertyValues("etcd.leader.enabled=true", setting).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'" + property + "'").contains(reason);
		});
	}

	static class Job {

		private int runs;

		@EtcdLeaderOnly
		public String run() {
			this.runs++;
			return "ran";
		}

		public int runs() {
			return this.runs;
		}

	}

}
