package io.github.etcdgrpclb.spring.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A misspelt etcd.* property is reported at startup with the nearest known name: these properties
 * decide where traffic goes, and a wrong name binds to nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownEtcdPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class))
		.withPropertyValues(NoEtcd.PROPERTIES);

	@Test
	void misspeltPropertyShouldBeReportedWithTheNearestKnownName(CapturedOutput output) {
		this.contextRunner.withPropertyValues("etcd.registry.metdata.zone=a", "etcd.discovery.zoen=b").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("Unknown property 'etcd.registry.metdata.zone'")
				.contains("did you mean 'etcd.registry.metadata.zone'?")
				.contains("Unknown property 'etcd.discovery.zoen'")
				.contains("did you mean 'etcd.discovery.zone'?");
		});
	}

	@Test
	void knownNamesAndAnyKeyOfAMapPropertyShouldPass(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("etcd.registry.metadata.rack=r7", "etcd.discovery.health.ejection.max-percent=40",
					"etcd.discovery.slowStart.window=10s")
			.run((context) -> assertThat(output).doesNotContain("Unknown property"));
	}

	@Test
	void nameFarFromEveryKnownOneShouldBeReportedWithoutAGuess(CapturedOutput output) {
		this.contextRunner.withPropertyValues("etcd.completely-unrelated-setting=1")
			.run((context) -> assertThat(output).contains("Unknown property 'etcd.completely-unrelated-setting'")
				.contains("no etcd property has a name near it"));
	}

	@Test
	void failModeShouldStopStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("etcd.unknown-properties=fail", "etcd.registry.metdata.zone=a")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(FailureAnalyses.analyze(context.getStartupFailure()).getDescription())
					.contains("'etcd.registry.metdata.zone'")
					.contains("did you mean 'etcd.registry.metadata.zone'?");
			});
	}

	@Test
	void ignoreModeShouldSayNothing(CapturedOutput output) {
		this.contextRunner.withPropertyValues("etcd.unknown-properties=ignore", "etcd.registry.metdata.zone=a")
			.run((context) -> assertThat(output).doesNotContain("Unknown property"));
	}

}
