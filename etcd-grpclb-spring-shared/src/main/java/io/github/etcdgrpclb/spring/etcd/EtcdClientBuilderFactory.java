package io.github.etcdgrpclb.spring.etcd;

import static io.github.etcdgrpclb.spring.etcd.DurationChecks.positive;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.github.etcdgrpclb.etcd.EtcdClientDefaults;
import io.github.etcdgrpclb.etcd.GrpcVersions;
import io.github.etcdgrpclb.etcd.NettyCompatibility;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.lang.Nullable;
import org.springframework.util.StringUtils;

/**
 * Turns {@link EtcdProperties} into a jetcd {@link ClientBuilder}, rejecting values the client could
 * not work with by an {@link InvalidEtcdPropertyException} that names the property.
 */
public final class EtcdClientBuilderFactory {

	static final int DEFAULT_PORT = 2379;

	private final EtcdProperties properties;

	private final SslBundles sslBundles;

	/**
	 * @param properties the etcd.* settings
	 * @param sslBundles the application's SSL bundles, for etcd.tls.bundle (null when there are none)
	 */
	public EtcdClientBuilderFactory(EtcdProperties properties, @Nullable SslBundles sslBundles) {
		this.properties = properties;
		this.sslBundles = sslBundles;
	}

	/**
	 * Fails with a report naming the fix when the class path cannot run the etcd client (Netty
	 * older than 4.2, grpc-java artifacts of mixed versions), instead of a NoClassDefFoundError or
	 * AbstractMethodError far from the cause. Every client the starter builds is checked first.
	 * @param classLoader the application's class loader
	 */
	public static void checkClassPath(ClassLoader classLoader) {
		NettyCompatibility.check(classLoader);
		GrpcVersions.check(classLoader);
	}

	public ClientBuilder create() {
		List<URI> endpoints = endpoints();
		ClientBuilder builder = EtcdClientDefaults.apply(Client.builder().endpoints(endpoints));
		applyCredentials(builder);
		if (StringUtils.hasLength(this.properties.getNamespace())) {
			builder.namespace(ByteSequence.from(this.properties.getNamespace(), StandardCharsets.UTF_8));
		}
		builder.connectTimeout(positive("etcd.connect-timeout", this.properties.getConnectTimeout()));
		builder.keepaliveTime(positive("etcd.keepalive-time", this.properties.getKeepaliveTime()));
		builder.keepaliveTimeout(positive("etcd.keepalive-timeout", this.properties.getKeepaliveTimeout()));
		builder.maxInboundMessageSize(Math.toIntExact(this.properties.getMaxInboundMessageSize().toBytes()));
		applyRetry(builder, this.properties.getRetry());
		if (usesTls(endpoints)) {
			builder.sslContext(new EtcdSslContextFactory(this.properties.getTls(), this.sslBundles).create());
			if (StringUtils.hasText(this.properties.getTls().getAuthority())) {
				builder.authority(this.properties.getTls().getAuthority());
			}
		}
		return builder;
	}

	/** @return the validated endpoints as one string, for messages */
	public String describeEndpoints() {
		return endpoints().stream().map(URI::toString).collect(Collectors.joining(","));
	}

	List<URI> endpoints() {
		List<String> configured = this.properties.getEndpoints();
		if (configured == null || configured.isEmpty()) {
			throw new InvalidEtcdPropertyException("etcd.endpoints", "", "at least one etcd endpoint is required",
					"Set etcd.endpoints to the client URLs of your etcd cluster, "
							+ "e.g. etcd.endpoints=http://127.0.0.1:2379");
		}
		List<URI> endpoints = new ArrayList<>();
		for (int i = 0; i < configured.size(); i++) {
			endpoints.add(endpoint("etcd.endpoints[" + i + "]", configured.get(i)));
		}
		long secure = endpoints.stream().filter((uri) -> "https".equals(uri.getScheme())).count();
		if (secure != 0 && secure != endpoints.size()) {
			throw new InvalidEtcdPropertyException("etcd.endpoints", configured, "mixes http and https endpoints",
					"Use https for every endpoint (TLS) or http for every endpoint (plain text).");
		}
		return endpoints;
	}

	private URI endpoint(String property, String value) {
		String trimmed = (value != null) ? value.trim() : "";
		String action = "Use the form http://host:port or https://host:port, e.g. http://127.0.0.1:2379.";
		if (trimmed.isEmpty()) {
			throw new InvalidEtcdPropertyException(property, trimmed, "an endpoint must not be blank", action);
		}
		if (trimmed.matches("(?i)https?:/[^/].*")) {
			throw new InvalidEtcdPropertyException(property, trimmed, "the scheme is followed by one slash, not two",
					action);
		}
		if (trimmed.matches("(?i)https?//.*")) {
			throw new InvalidEtcdPropertyException(property, trimmed, "the scheme lacks its colon ('http//' for 'http://')",
					action);
		}
		String withScheme = trimmed.contains("://") ? trimmed
				: (this.properties.getTls().isConfigured() ? "https://" : "http://") + trimmed;
		URI uri;
		try {
			uri = new URI(withScheme);
		}
		catch (URISyntaxException ex) {
			throw new InvalidEtcdPropertyException(property, trimmed, "not a valid URI (" + ex.getReason() + ")",
					action, ex);
		}
		if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
			throw new InvalidEtcdPropertyException(property, trimmed,
					"the scheme must be http or https, not '" + uri.getScheme() + "'", action);
		}
		if (uri.getHost() == null) {
			throw new InvalidEtcdPropertyException(property, trimmed, "no host name", action);
		}
		if (StringUtils.hasLength(uri.getPath()) && !"/".equals(uri.getPath()) || uri.getQuery() != null) {
			throw new InvalidEtcdPropertyException(property, trimmed, "an endpoint has no path or query", action);
		}
		if (this.properties.getTls().isConfigured() && "http".equals(uri.getScheme())) {
			throw new InvalidEtcdPropertyException(property, trimmed,
					"plain http while TLS is configured (etcd.tls.enabled or etcd.tls.bundle)",
					"Use https endpoints with TLS, or remove etcd.tls.enabled and etcd.tls.bundle.");
		}
		int port = (uri.getPort() != -1) ? uri.getPort() : DEFAULT_PORT;
		return URI.create(uri.getScheme() + "://" + uri.getRawAuthority().replaceFirst(":\\d+$", "") + ":" + port);
	}

	private boolean usesTls(List<URI> endpoints) {
		return this.properties.getTls().isConfigured() || "https".equals(endpoints.get(0).getScheme());
	}

	private void applyCredentials(ClientBuilder builder) {
		String user = this.properties.getUser();
		String password = this.properties.getPassword();
		if (StringUtils.hasLength(user) != StringUtils.hasLength(password)) {
			String missing = StringUtils.hasLength(user) ? "etcd.password" : "etcd.user";
			throw new InvalidEtcdPropertyException(missing, "", "etcd authentication needs both a user and a password",
					"Set both etcd.user and etcd.password, or neither.");
		}
		if (StringUtils.hasLength(user)) {
			builder.user(ByteSequence.from(user, StandardCharsets.UTF_8));
			builder.password(ByteSequence.from(password, StandardCharsets.UTF_8));
		}
	}

	private void applyRetry(ClientBuilder builder, EtcdProperties.Retry retry) {
		builder.retryDelay(positive("etcd.retry.delay", retry.getDelay()).toMillis());
		builder.retryMaxDelay(positive("etcd.retry.max-delay", retry.getMaxDelay()).toMillis());
		if (retry.getMaxAttempts() < 0) {
			throw new InvalidEtcdPropertyException("etcd.retry.max-attempts", retry.getMaxAttempts(),
					"must not be negative", "Set etcd.retry.max-attempts to 0 or more.");
		}
		builder.retryMaxAttempts(retry.getMaxAttempts());
		if (retry.getMaxDuration() != null) {
			builder.retryMaxDuration(positive("etcd.retry.max-duration", retry.getMaxDuration()));
		}
	}

}
