package io.github.etcdgrpclb.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The README's test class for the test support, compiled as a new user pastes it and run with
 * JUnit: its etcd starts, its test runs and passes.
 */
class EtcdExtensionReadmeTests {

	@AfterEach
	void forgetProbes() {
		SnippetProbe.reset();
	}

	@Test
	void readmeTestClassShouldRunAgainstARealEtcd(@TempDir Path folder) throws Exception {
		JavaSnippet snippet = ReadmeSnippets.of(Path.of("../README.md")).java("test-support");
		ClassLoader loader = SnippetCompiler.compile(folder, Map.of("OrdersEtcdTests", snippet.asCompilationUnit()));

		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		LauncherFactory.create()
			.execute(LauncherDiscoveryRequestBuilder.request()
				.selectors(selectClass(loader.loadClass("OrdersEtcdTests")))
				.build(), listener);

		TestExecutionSummary summary = listener.getSummary();
		assertThat(summary.getFailures()).isEmpty();
		assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
		assertThat(SnippetProbe.count("OrdersEtcdTests.ordersShouldFollowEtcd")).isEqualTo(1);
	}

}
