package io.github.etcdgrpclb.spring.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link EtcdConfigUnavailableException}: which import, which endpoints, and the two ways
 * out (reach etcd, or make the import optional).
 */
class EtcdConfigUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<EtcdConfigUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EtcdConfigUnavailableException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Check that etcd runs and that etcd.endpoints (" + cause.getEndpoints() + ") reaches it, or raise "
						+ "etcd.config.timeout. To start with the local configuration while etcd is away (etcd's "
						+ "values are applied once it answers), import it as optional: spring.config.import=optional:"
						+ cause.getLocation().replaceFirst("^optional:", "") + ".",
				cause);
	}

}
