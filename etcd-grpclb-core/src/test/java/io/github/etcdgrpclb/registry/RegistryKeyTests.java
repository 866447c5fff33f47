package io.github.etcdgrpclb.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/**
 * The one place that builds and reads {@code <prefix>/<service>/<host:port>}: what a writer builds a
 * reader reads back, and keys of another shape (a sibling prefix, deeper, blank parts) are not taken.
 */
class RegistryKeyTests {

	@Test
	void aKeyBuiltUnderAPrefixShouldBeReadBackTheSame() {
		RegistryKey instance = new RegistryKey("orders", "[::1]:9000");
		assertThat(instance.under("/grpclb-ops")).isEqualTo("/grpclb-ops/orders/[::1]:9000");
		assertThat(RegistryKey.parse("/grpclb-ops", instance.under("/grpclb-ops"))).isEqualTo(instance);
	}

	@Test
	void keysOfAnotherShapeShouldNotBeRead() {
		assertThat(RegistryKey.parse("/grpclb", "/grpclb-ops/orders/10.0.0.5:9000")).as("a sibling prefix").isNull();
		assertThat(RegistryKey.parse("/grpclb", "/grpclb/orders")).as("no address").isNull();
		assertThat(RegistryKey.parse("/grpclb", "/grpclb/orders/")).as("a blank address").isNull();
		assertThat(RegistryKey.parse("/grpclb", "/grpclb//10.0.0.5:9000")).as("a blank service").isNull();
		assertThat(RegistryKey.parse("/grpclb", "/grpclb/orders/eu/10.0.0.5:9000")).as("deeper").isNull();
		assertThat(RegistryKey.parse("/grpclb", "/grpclb")).as("the prefix alone").isNull();
		assertThat(RegistryKey.parse("/grpclb", "/other/orders/10.0.0.5:9000")).as("another prefix").isNull();
	}

	@Test
	void namesThatWouldBreakTheLayoutShouldBeRefusedSayingWhatIsExpected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RegistryKey("orders/eu", "10.0.0.5:9000"))
			.withMessageContaining("host:port, without '/'");
		assertThatIllegalArgumentException().isThrownBy(() -> new RegistryKey("orders", " "));
		assertThatIllegalArgumentException().isThrownBy(() -> new RegistryKey(null, "10.0.0.5:9000"));
	}

}
