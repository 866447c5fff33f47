package io.github.etcdgrpclb.spring.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the etcd client.
 */
@ConfigurationProperties("etcd")
public class EtcdProperties {

	/**
	 * Client URLs of the etcd members, e.g. 'http://10.0.0.1:2379,http://10.0.0.2:2379'. A bare
	 * 'host:port' means http, or https when TLS is enabled. Required.
	 */
	private List<String> endpoints = new ArrayList<>();

	/**
	 * Login user of etcd authentication. Set together with the password.
	 */
	private String user;

	/**
	 * Login password of etcd authentication. Set together with the user.
	 */
	private String password;

	/**
	 * Namespace that the client puts in front of every key, e.g. '/tenant-a'. Applications that must
	 * see each other's registrations have to use the same namespace.
	 */
	private String namespace;

	/**
	 * Timeout of establishing a connection to an etcd member.
	 */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/**
	 * Interval of HTTP/2 keep-alive pings while a call or stream (watch, lease keep-alive) to etcd is
	 * open. No pings are sent on a connection without calls: etcd counts those as abuse and closes the
	 * connection (GOAWAY too_many_pings). At least 10s (gRPC's floor); at least etcd's
	 * --grpc-keepalive-min-time (5s by default).
	 */
	private Duration keepaliveTime = Duration.ofSeconds(30);

	/**
	 * Time to wait for the answer to a keep-alive ping before the connection counts as dead.
	 */
	private Duration keepaliveTimeout = Duration.ofSeconds(10);

	/**
	 * Largest response the client accepts from etcd. Raise it for services with very many instances.
	 */
	private DataSize maxInboundMessageSize = DataSize.ofMegabytes(16);

	/**
	 * Whether to check credentials and TLS against etcd at startup. Wrong credentials or an untrusted
	 * certificate then fail startup; an unreachable etcd only logs a warning, as the client reconnects
	 * by itself.
	 */
	private boolean verifyOnStartup = true;

	/**
	 * What to do with an etcd.* property the starter does not know (a misspelling binds to nothing):
	 * 'warn' (at startup, with the nearest known name), 'fail' (startup), or 'ignore'. Environment
	 * variables are not checked.
	 */
	private String unknownProperties = "warn";

	private final Retry retry = new Retry();

	private final Tls tls = new Tls();

	public List<String> getEndpoints() {
		return this.endpoints;
	}

	public void setEndpoints(List<String> endpoints) {
		this.endpoints = endpoints;
	}

	public String getUser() {
		return this.user;
	}

	public void setUser(String user) {
		this.user = user;
	}

	public String getPassword() {
		return this.password;
	}

	public void setPassword(String password) {
		this.password = password;
	}

	public String getNamespace() {
		return this.namespace;
	}

	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getKeepaliveTime() {
		return this.keepaliveTime;
	}

	public void setKeepaliveTime(Duration keepaliveTime) {
		this.keepaliveTime = keepaliveTime;
	}

	public Duration getKeepaliveTimeout() {
		return this.keepaliveTimeout;
	}

	public void setKeepaliveTimeout(Duration keepaliveTimeout) {
		this.keepaliveTimeout = keepaliveTimeout;
	}

	public DataSize getMaxInboundMessageSize() {
		return this.maxInboundMessageSize;
	}

	public void setMaxInboundMessageSize(DataSize maxInboundMessageSize) {
		this.maxInboundMessageSize = maxInboundMessageSize;
	}

	public boolean isVerifyOnStartup() {
		return this.verifyOnStartup;
	}

	public void setVerifyOnStartup(boolean verifyOnStartup) {
		this.verifyOnStartup = verifyOnStartup;
	}

	public String getUnknownProperties() {
		return this.unknownProperties;
	}

	public void setUnknownProperties(String unknownProperties) {
		this.unknownProperties = unknownProperties;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Tls getTls() {
		return this.tls;
	}

	/**
	 * Retries of failed etcd requests by the client.
	 */
	public static class Retry {

		/**
		 * Delay before the first retry; later retries back off exponentially.
		 */
		private Duration delay = Duration.ofMillis(500);

		/**
		 * Longest delay between two retries.
		 */
		private Duration maxDelay = Duration.ofMillis(2500);

		/**
		 * How many times a failed request is retried.
		 */
		private int maxAttempts = 2;

		/**
		 * How long a request may be retried in all. Unset means no limit besides max-attempts.
		 */
		private Duration maxDuration;

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getMaxDuration() {
			return this.maxDuration;
		}

		public void setMaxDuration(Duration maxDuration) {
			this.maxDuration = maxDuration;
		}

	}

	/**
	 * TLS of the connection to etcd.
	 */
	public static class Tls {

		/**
		 * Whether to connect to etcd over TLS. Implied by https endpoints.
		 */
		private boolean enabled;

		/**
		 * Location of the PEM file of the CA certificate(s) that signed etcd's server certificate: a
		 * file path ('/etc/etcd/ca.pem'), 'file:' or 'classpath:'. Unset means the JVM's default trust
		 * store.
		 */
		private String trustCertificate;

		/**
		 * Location of the PEM file of the client certificate (chain) presented to etcd for mutual TLS:
		 * a file path, 'file:' or 'classpath:'. Set together with private-key.
		 */
		private String certificate;

		/**
		 * Location of the PEM file of the client certificate's private key (PKCS#8): a file path,
		 * 'file:' or 'classpath:'. Set together with certificate.
		 */
		private String privateKey;

		/**
		 * Host name expected in etcd's server certificate, when it differs from the endpoint host
		 * (e.g. endpoints given as IP addresses).
		 */
		private String authority;

		/**
		 * Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) to connect with: its trust material
		 * verifies etcd, its key (if any) is the client certificate for mutual TLS. Implies TLS; an
		 * alternative to trust-certificate, certificate and private-key.
		 */
		private String bundle;

		public boolean isEnabled() {
			return this.enabled;
		}

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

		/** @return whether the connection uses TLS by configuration (https endpoints also do) */
		boolean isConfigured() {
			return this.enabled || (this.bundle != null && !this.bundle.isBlank());
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getTrustCertificate() {
			return this.trustCertificate;
		}

		public void setTrustCertificate(String trustCertificate) {
			this.trustCertificate = trustCertificate;
		}

		public String getCertificate() {
			return this.certificate;
		}

		public void setCertificate(String certificate) {
			this.certificate = certificate;
		}

		public String getPrivateKey() {
			return this.privateKey;
		}

		public void setPrivateKey(String privateKey) {
			this.privateKey = privateKey;
		}

		public String getAuthority() {
			return this.authority;
		}

		public void setAuthority(String authority) {
			this.authority = authority;
		}

	}

}
