package io.github.etcdgrpclb.spring.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLException;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import org.springframework.boot.io.ApplicationResourceLoader;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.io.Resource;
import org.springframework.lang.Nullable;
import org.springframework.util.StringUtils;

/**
 * Builds the Netty {@link SslContext} of the etcd client from the {@code etcd.tls.*} PEM resources.
 * Each file is read and parsed on its own, so a bad one is reported under its own property name.
 */
final class EtcdSslContextFactory {

	private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";

	private final EtcdProperties.Tls tls;

	private final SslBundles sslBundles;

	EtcdSslContextFactory(EtcdProperties.Tls tls, @Nullable SslBundles sslBundles) {
		this.tls = tls;
		this.sslBundles = sslBundles;
	}

	SslContext create() {
		SslContextBuilder builder = GrpcSslContexts.forClient();
		if (StringUtils.hasText(this.tls.getBundle())) {
			applyBundle(builder, this.tls.getBundle().trim());
			return build(builder);
		}
		if (StringUtils.hasText(this.tls.getTrustCertificate())) {
			builder.trustManager(certificates("etcd.tls.trust-certificate", this.tls.getTrustCertificate()));
		}
		boolean certificate = StringUtils.hasText(this.tls.getCertificate());
		if (certificate != StringUtils.hasText(this.tls.getPrivateKey())) {
			String missing = !certificate ? "etcd.tls.certificate" : "etcd.tls.private-key";
			throw new InvalidEtcdPropertyException(missing, "", "mutual TLS needs both a certificate and its private key",
					"Set both etcd.tls.certificate and etcd.tls.private-key, or neither.");
		}
		if (certificate) {
			builder.keyManager(privateKey("etcd.tls.private-key", this.tls.getPrivateKey()),
					certificates("etcd.tls.certificate", this.tls.getCertificate()));
		}
		return build(builder);
	}

	private static SslContext build(SslContextBuilder builder) {
		try {
			return builder.build();
		}
		catch (SSLException ex) {
			throw new InvalidEtcdPropertyException("etcd.tls", "", "the TLS settings are not usable: " + ex.getMessage(),
					"Check etcd.tls.bundle, or etcd.tls.trust-certificate, etcd.tls.certificate and etcd.tls.private-key.",
					ex);
		}
	}

	/** Spring Boot's SSL bundle: its trust managers verify etcd, its key managers (if a key) are the client's. */
	private void applyBundle(SslContextBuilder builder, String name) {
		if (StringUtils.hasText(this.tls.getTrustCertificate()) || StringUtils.hasText(this.tls.getCertificate())
				|| StringUtils.hasText(this.tls.getPrivateKey())) {
			throw new InvalidEtcdPropertyException("etcd.tls.bundle", name,
					"an SSL bundle and the PEM properties are alternatives",
					"Use etcd.tls.bundle alone, or remove it and keep etcd.tls.trust-certificate, certificate and "
							+ "private-key.");
		}
		SslBundle bundle;
		try {
			if (this.sslBundles == null) {
				throw new NoSuchSslBundleException(name, "no SSL bundles are configured");
			}
			bundle = this.sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			List<String> known = (this.sslBundles != null) ? this.sslBundles.getBundleNames() : List.of();
			throw new InvalidEtcdPropertyException("etcd.tls.bundle", name,
					"no SSL bundle of that name; the bundles are " + known,
					"Define it, e.g. spring.ssl.bundle.pem." + name + ".truststore.certificate=file:/etc/etcd/ca.pem "
							+ "(and .keystore.certificate / .keystore.private-key for mutual TLS), or name one of "
							+ known + ".",
					ex);
		}
		builder.trustManager(bundle.getManagers().getTrustManagerFactory());
		if (bundle.getStores().getKeyStore() != null) {
			builder.keyManager(bundle.getManagers().getKeyManagerFactory());
		}
	}

	private static X509Certificate[] certificates(String property, String location) {
		try (InputStream in = open(property, location)) {
			X509Certificate[] certificates = CertificateFactory.getInstance("X.509")
				.generateCertificates(in)
				.toArray(X509Certificate[]::new);
			if (certificates.length == 0) {
				throw new InvalidEtcdPropertyException(property, location, "the file holds no certificate",
						"Point " + property + " at a PEM file with '-----BEGIN CERTIFICATE-----' blocks.");
			}
			return certificates;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new InvalidEtcdPropertyException(property, location, "not a PEM certificate: " + ex.getMessage(),
					"Point " + property + " at a PEM file with '-----BEGIN CERTIFICATE-----' blocks.", ex);
		}
	}

	private static PrivateKey privateKey(String property, String location) {
		String action = "Point " + property + " at an unencrypted PKCS#8 PEM key ('-----BEGIN PRIVATE KEY-----'); "
				+ "convert other forms with 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'.";
		String pem;
		try (InputStream in = open(property, location)) {
			pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new InvalidEtcdPropertyException(property, location, "cannot be read: " + ex.getMessage(), action, ex);
		}
		int begin = pem.indexOf(PKCS8_BEGIN);
		int end = pem.indexOf("-----END PRIVATE KEY-----");
		if (begin < 0 || end < begin) {
			throw new InvalidEtcdPropertyException(property, location, "not an unencrypted PKCS#8 PEM private key",
					action);
		}
		byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + PKCS8_BEGIN.length(), end));
		for (String algorithm : new String[] { "RSA", "EC", "Ed25519" }) {
			try {
				return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
			}
			catch (GeneralSecurityException ex) {
				// Not this algorithm: try the next.
			}
		}
		throw new InvalidEtcdPropertyException(property, location, "neither an RSA, EC nor Ed25519 private key",
				action);
	}

	/**
	 * Resolves a location as Spring Boot's own PEM properties do: a plain path is a file, whatever the
	 * application's resource loader (a web application's would look for it in the servlet context).
	 */
	private static Resource resource(String location) {
		return ApplicationResourceLoader.get().getResource(location.trim());
	}

	private static InputStream open(String property, String location) throws IOException {
		Resource resource = resource(location);
		if (!resource.exists()) {
			throw new InvalidEtcdPropertyException(property, location, "the file does not exist",
					"Point " + property + " at an existing PEM file, e.g. /etc/etcd/ca.pem or classpath:etcd/ca.pem.");
		}
		return resource.getInputStream();
	}

}
