package io.github.etcdgrpclb.spring.etcd;

import io.github.etcdgrpclb.etcd.IncompatibleNettyException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link IncompatibleNettyException} with the build change that fixes it.
 */
class IncompatibleNettyFailureAnalyzer extends AbstractFailureAnalyzer<IncompatibleNettyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, IncompatibleNettyException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Use Netty 4.2: with the Spring Boot parent set <netty.version>4.2.20.Final</netty.version>; "
						+ "otherwise import io.github.etcdgrpclb:etcd-grpclb-dependencies (it imports io.netty:netty-bom "
						+ "4.2) before spring-boot-dependencies in <dependencyManagement>, as the README shows "
						+ "(Gradle: set ext['netty.version'] = '4.2.20.Final').",
				cause);
	}

}
