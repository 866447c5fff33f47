package io.github.etcdgrpclb.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ServiceRegistrationTests {

	@Test
	void keyAndValueShouldBeTheGoTutorialFormat() {
		ServiceRegistration registration = new ServiceRegistration("/grpclb", "simple_grpc", "10.0.0.5", 9001, 4);
		assertThat(registration.key()).isEqualTo("/grpclb/simple_grpc/10.0.0.5:9001");
		assertThat(registration.value()).isEqualTo("4");
		assertThat(registration.servicePrefix()).isEqualTo("/grpclb/simple_grpc/");
	}

	@Test
	void ipv6HostShouldBeBracketedLikeGoJoinHostPort() {
		assertThat(new ServiceRegistration("/grpclb", "s", "::1", 9001, 1).address()).isEqualTo("[::1]:9001");
	}

	@Test
	void invalidPartsShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ServiceRegistration("/p", "a/b", "h", 1, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> new ServiceRegistration("/p", "s", "h", 0, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> new ServiceRegistration("/p", "s", "h", 1, 0));
	}

	@Test
	void withWeightShouldKeepTheKey() {
		ServiceRegistration registration = new ServiceRegistration("/grpclb", "s", "h", 1, 1);
		assertThat(registration.withWeight(9).key()).isEqualTo(registration.key());
		assertThat(registration.withWeight(9).value()).isEqualTo("9");
	}

}
