package io.github.etcdgrpclb.spring.etcd;

import io.github.etcdgrpclb.etcd.EtcdConnectionException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link EtcdConnectionException}: etcd rejected the credentials or the TLS handshake.
 */
class EtcdConnectionFailureAnalyzer extends AbstractFailureAnalyzer<EtcdConnectionException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EtcdConnectionException cause) {
		String action = switch (cause.getProblem()) {
			case AUTHENTICATION -> "Check etcd.user and etcd.password: etcd refused them. "
					+ "(Set etcd.verify-on-startup=false to start without this check.)";
			case TLS -> "Check that etcd.tls.trust-certificate holds the CA that signed etcd's server certificate, "
					+ "that etcd.tls.authority (or the endpoint host) matches a name in that certificate, and, "
					+ "for mutual TLS, that etcd trusts etcd.tls.certificate. "
					+ "(Set etcd.verify-on-startup=false to start without this check.)";
		};
		return new FailureAnalysis(cause.getMessage(), action, cause);
	}

}
