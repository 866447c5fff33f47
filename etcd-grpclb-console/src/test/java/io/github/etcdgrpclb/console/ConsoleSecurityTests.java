package io.github.etcdgrpclb.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may write, against a real etcd: nobody while no admin is configured (the page carries no form and
 * a post is refused), and, for teams with an identity provider, a bearer token carrying the admin scope
 * (signed by a key the console trusts), while a token without it is refused.
 */
class ConsoleSecurityTests {

	private static final String INSTANCE = "service=orders&address=127.0.0.1:9301";

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	@TempDir
	static Path keys;

	private static KeyPair keyPair;

	private static Path publicKey;

	private RunningConsole console;

	@BeforeAll
	static void identityProviderKey() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		keyPair = generator.generateKeyPair();
		publicKey = keys.resolve("issuer.pub");
		Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder().encodeToString(keyPair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
	}

	@AfterEach
	void stop() {
		if (this.console != null) {
			this.console.close();
		}
		raw.delete("/grpclb-ops/orders/127.0.0.1:9301");
	}

	@Test
	void consoleWithoutAnAdminShouldShowNoFormAndRefuseEveryWrite() throws Exception {
		raw.put("/grpclb/orders/127.0.0.1:9301", "2");
		this.console = new RunningConsole(etcd.endpoints());

		String page = this.console.get("/");
		assertThat(page).contains("Read-only (no admin is configured).").doesNotContain("<form");
		assertThat(this.console.post("/actions/override", null, INSTANCE + "&action=drain").statusCode())
			.isEqualTo(403);
		assertThat(raw.get("/grpclb-ops/orders/127.0.0.1:9301")).isNull();
		raw.delete("/grpclb/orders/127.0.0.1:9301");
	}

	@Test
	void bearerTokenWithTheAdminScopeShouldWriteAndOneWithoutItShouldNot() throws Exception {
		raw.put("/grpclb/orders/127.0.0.1:9301", "2");
		this.console = new RunningConsole(etcd.endpoints(),
				"spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + publicKey);

		assertThat(this.console.post("/actions/override", token("reader", "console.read"), INSTANCE + "&action=drain")
			.statusCode()).isEqualTo(403);
		assertThat(this.console.post("/actions/override", null, INSTANCE + "&action=drain").statusCode())
			.as("no token, no CSRF token").isEqualTo(403);
		assertThat(raw.get("/grpclb-ops/orders/127.0.0.1:9301")).isNull();

		var refused = this.console.post("/actions/override", token("deploy-bot", "console.admin"),
				INSTANCE + "&action=weight&weight=0");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("A weight must be from 1 to");
		var done = this.console.post("/actions/override", token("deploy-bot", "console.admin"),
				INSTANCE + "&action=weight&weight=5&pinned=true");
		assertThat(done.statusCode()).isEqualTo(303);
		assertThat(raw.values("/grpclb-ops/orders/")).hasEntrySatisfying("/grpclb-ops/orders/127.0.0.1:9301",
				(value) -> assertThat(value).startsWith("{\"weight\":5,\"drained\":false,\"by\":\"deploy-bot\""));
		assertThat(raw.get("/grpclb-ops/orders/127.0.0.1:9301").getLease()).as("pinned: no lease").isZero();
		raw.delete("/grpclb/orders/127.0.0.1:9301");
	}

	private static String token(String subject, String scope) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().subject(subject)
			.claim("scope", scope)
			.expirationTime(Date.from(Instant.now().plusSeconds(300)))
			.build());
		jwt.sign(new RSASSASigner((RSAPrivateKey) keyPair.getPrivate()));
		return jwt.serialize();
	}

}
