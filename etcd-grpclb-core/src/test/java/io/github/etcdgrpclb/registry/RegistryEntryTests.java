package io.github.etcdgrpclb.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class RegistryEntryTests {

	@Test
	void keyAndValueShouldBeTheGoTutorialFormat() {
		RegistryEntry registration = new RegistryEntry("/grpclb", "simple_grpc", "10.0.0.5", 9001, 4);
		assertThat(registration.key()).isEqualTo("/grpclb/simple_grpc/10.0.0.5:9001");
		assertThat(registration.value()).isEqualTo("4");
		assertThat(registration.servicePrefix()).isEqualTo("/grpclb/simple_grpc/");
	}

	@Test
	void ipv6HostShouldBeBracketedLikeGoJoinHostPort() {
		assertThat(new RegistryEntry("/grpclb", "s", "::1", 9001, 1).address()).isEqualTo("[::1]:9001");
	}

	@Test
	void invalidPartsShouldBeRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RegistryEntry("/p", "a/b", "h", 1, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> new RegistryEntry("/p", "s", "h", 0, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> new RegistryEntry("/p", "s", "h", 1, 0));
	}

	@Test
	void withWeightShouldKeepTheKey() {
		RegistryEntry registration = new RegistryEntry("/grpclb", "s", "h", 1, 1);
		assertThat(registration.withWeight(9).key()).isEqualTo(registration.key());
		assertThat(registration.withWeight(9).value()).isEqualTo("9");
	}

	@Test
	void valueFormatsShouldWriteWeightAddressOrGoEndpointsJson() {
		RegistryEntry weight = new RegistryEntry("/grpclb", "s", "10.0.0.5", 9001, 3, ValueFormat.WEIGHT);
		RegistryEntry address = new RegistryEntry("/grpclb", "s", "10.0.0.5", 9001, 3, ValueFormat.ADDRESS);
		RegistryEntry json = new RegistryEntry("/grpclb", "s", "::1", 9001, 3, ValueFormat.JSON);
		assertThat(weight.value()).isEqualTo("3");
		assertThat(address.value()).isEqualTo("10.0.0.5:9001");
		assertThat(json.value()).isEqualTo("{\"Op\":0,\"Addr\":\"[::1]:9001\",\"weight\":3}");
		assertThat(json.withWeight(5).value()).isEqualTo("{\"Op\":0,\"Addr\":\"[::1]:9001\",\"weight\":5}");
		assertThat(address.key()).isEqualTo(weight.key());
	}

}
