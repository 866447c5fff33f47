package io.github.etcdgrpclb.spring.etcd;

import java.util.List;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * Runs a startup failure through the failure analyzers registered in {@code spring.factories}, as
 * Spring Boot does when an application fails to start.
 */
public final class FailureAnalyses {

	private FailureAnalyses() {
	}

	public static FailureAnalysis analyze(Throwable failure) {
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader
			.forDefaultResourceLocation(FailureAnalyses.class.getClassLoader())
			.load(FailureAnalyzer.class, null, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
			}));
		for (FailureAnalyzer analyzer : analyzers) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null && analyzer.getClass().getName().startsWith("io.github.etcdgrpclb")) {
				return analysis;
			}
		}
		throw new AssertionError("No etcd-grpclb failure analyzer recognised " + failure);
	}

}
