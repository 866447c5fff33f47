package io.github.etcdgrpclb.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;

class EtcdNameResolverAuthorityTests {

	@Test
	void serviceNameThatIsAHostNameShouldBeTheAuthority() {
		assertThat(EtcdNameResolver.authorityFor("orders")).isEqualTo("orders");
		assertThat(EtcdNameResolver.authorityFor("orders.prod")).isEqualTo("orders.prod");
	}

	@Test
	void goTutorialServiceNameShouldBecomeAValidUriHost() throws Exception {
		String authority = EtcdNameResolver.authorityFor("simple_grpc");
		assertThat(authority).isEqualTo("simple-grpc");
		// What micrometer's gRPC client observation does with the authority (micrometer#7380).
		assertThat(new URI(null, authority, null, null, null).getHost()).isEqualTo("simple-grpc");
	}

	@Test
	void nameWithNothingUsableShouldStillGiveAnAuthority() {
		assertThat(EtcdNameResolver.authorityFor("___")).isEqualTo("etcd-service");
	}

}
