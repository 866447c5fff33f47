package io.github.etcdgrpclb.spring.etcd;

import io.github.etcdgrpclb.etcd.IncompatibleGrpcException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link IncompatibleGrpcException} with the artifacts, their versions and the build
 * change that aligns them.
 */
class IncompatibleGrpcFailureAnalyzer extends AbstractFailureAnalyzer<IncompatibleGrpcException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, IncompatibleGrpcException cause) {
		String version = cause.newest();
		return new FailureAnalysis(cause.getMessage(),
				"Align every io.grpc artifact on one version: import io.grpc:grpc-bom:" + version
						+ " (type pom, scope import) first in <dependencyManagement>, or import "
						+ "io.github.etcdgrpclb:etcd-grpclb-dependencies, which does it (Gradle: "
						+ "implementation platform('io.grpc:grpc-bom:" + version + "')). mvn dependency:tree "
						+ "-Dincludes=io.grpc shows who brings the others.",
				cause);
	}

}
