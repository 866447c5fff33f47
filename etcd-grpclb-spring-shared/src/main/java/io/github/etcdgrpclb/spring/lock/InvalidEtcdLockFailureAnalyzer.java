package io.github.etcdgrpclb.spring.lock;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@code @EtcdLock} annotation that cannot work, naming the method and what to change.
 */
class InvalidEtcdLockFailureAnalyzer extends AbstractFailureAnalyzer<InvalidEtcdLockException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidEtcdLockException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Fix that @EtcdLock: a key expression names the method's parameters (#orderId) or positions (#p0), "
						+ "waitTime is 0 (try once) or more, leaseTtl is 2s or more.",
				cause);
	}

}
