package io.github.etcdgrpclb.spring.etcd;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link InvalidEtcdPropertyException}: which property, which value, and how to fix it.
 */
class InvalidEtcdPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidEtcdPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidEtcdPropertyException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
