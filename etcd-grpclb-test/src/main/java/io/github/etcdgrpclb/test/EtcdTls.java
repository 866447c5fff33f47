package io.github.etcdgrpclb.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made for one test run: a CA, a server certificate for {@code 127.0.0.1} /
 * {@code localhost} and a client certificate, written as PEM files (keys as PKCS#8) into a folder.
 * The certificates are valid for one day.
 */
public final class EtcdTls {

	private static final SecureRandom random = new SecureRandom();

	private final Path dir;

	private final X509Certificate caCertificate;

	private final KeyPair clientKeys;

	private final X509Certificate clientCertificate;

	private EtcdTls(Path dir, X509Certificate caCertificate, KeyPair clientKeys, X509Certificate clientCertificate) {
		this.dir = dir;
		this.caCertificate = caCertificate;
		this.clientKeys = clientKeys;
		this.clientCertificate = clientCertificate;
	}

	/**
	 * Generates a CA, a server and a client certificate into {@code dir}.
	 * @param dir an existing folder
	 * @param clientCommonName the client certificate's CN (etcd maps it to a user with
	 * {@code --client-cert-auth} and auth enabled)
	 * @return the generated material
	 */
	public static EtcdTls generate(Path dir, String clientCommonName) {
		try {
			KeyPair caKeys = newKeyPair();
			X500Name caName = new X500Name("CN=etcd-grpclb test CA");
			X509Certificate ca = sign(caName, caKeys, caName, caKeys, true, null, null);
			KeyPair serverKeys = newKeyPair();
			GeneralNames serverNames = new GeneralNames(new GeneralName[] {
					new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
					new GeneralName(GeneralName.dNSName, "localhost") });
			X509Certificate server = sign(new X500Name("CN=localhost"), serverKeys, caName, caKeys, false,
					serverNames, new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth });
			KeyPair clientKeys = newKeyPair();
			X509Certificate client = sign(new X500Name("CN=" + clientCommonName), clientKeys, caName, caKeys, false,
					null, new KeyPurposeId[] { KeyPurposeId.id_kp_clientAuth });
			writePem(dir.resolve("ca.pem"), ca);
			writePem(dir.resolve("server.pem"), server);
			writeKey(dir.resolve("server-key.pem"), serverKeys);
			writePem(dir.resolve("client.pem"), client);
			writeKey(dir.resolve("client-key.pem"), clientKeys);
			return new EtcdTls(dir, ca, clientKeys, client);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException("Could not generate test certificates", ex);
		}
	}

	/** @return the CA certificate (PEM) that signed the server and client certificates */
	public Path caCertificate() {
		return this.dir.resolve("ca.pem");
	}

	/** @return the server certificate (PEM) */
	public Path serverCertificate() {
		return this.dir.resolve("server.pem");
	}

	/** @return the server's private key (PKCS#8 PEM) */
	public Path serverKey() {
		return this.dir.resolve("server-key.pem");
	}

	/** @return the client certificate (PEM) */
	public Path clientCertificate() {
		return this.dir.resolve("client.pem");
	}

	/** @return the client's private key (PKCS#8 PEM) */
	public Path clientKey() {
		return this.dir.resolve("client-key.pem");
	}

	/** @return an SSL context that trusts the CA and presents the client certificate */
	public SSLContext clientSslContext() {
		try {
			KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
			trust.load(null, null);
			trust.setCertificateEntry("ca", this.caCertificate);
			TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			tmf.init(trust);
			KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
			keys.load(null, null);
			keys.setKeyEntry("client", this.clientKeys.getPrivate(), new char[0],
					new X509Certificate[] { this.clientCertificate, this.caCertificate });
			KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			kmf.init(keys, new char[0]);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), random);
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("Could not build the test SSL context", ex);
		}
	}

	private static KeyPair newKeyPair() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"), random);
		return generator.generateKeyPair();
	}

	private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
			boolean ca, GeneralNames altNames, KeyPurposeId[] purposes)
			throws GeneralSecurityException, OperatorCreationException {
		Instant now = Instant.now();
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, random),
				Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
				subjectKeys.getPublic());
		try {
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
					: KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
			if (altNames != null) {
				builder.addExtension(Extension.subjectAlternativeName, false, altNames);
			}
			if (purposes != null) {
				builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new JcaX509CertificateConverter().getCertificate(
				builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
	}

	private static void writePem(Path file, X509Certificate certificate) {
		write(file, certificate);
	}

	private static void writeKey(Path file, KeyPair keys) {
		try {
			write(file, new JcaPKCS8Generator(keys.getPrivate(), null));
		}
		catch (org.bouncycastle.util.io.pem.PemGenerationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void write(Path file, Object pemObject) {
		try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
			pem.writeObject(pemObject);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write " + file, ex);
		}
	}

}
