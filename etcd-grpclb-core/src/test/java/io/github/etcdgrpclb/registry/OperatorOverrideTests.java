package io.github.etcdgrpclb.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The operator's key: its JSON both ways, what it does to a registration, and values it refuses. */
class OperatorOverrideTests {

	private static final RegistryEntry OWN = new RegistryEntry("/grpclb", "svc", "10.0.0.5", 9001, 3);

	@Test
	void jsonShouldReadBackTheSameAndQuoteTheUser() {
		OperatorOverride override = new OperatorOverride(5, false, "ops \"lead\"", Instant.parse("2026-12-04T10:15:30Z"));
		assertThat(override.toJson())
			.isEqualTo("{\"weight\":5,\"drained\":false,\"by\":\"ops \\\"lead\\\"\",\"at\":\"2026-12-04T10:15:30Z\"}");
		assertThat(OperatorOverride.parse(override.toJson())).isEqualTo(override);
		assertThat(OperatorOverride.parse("{\"drained\":true}")).isEqualTo(new OperatorOverride(null, true, null, null));
	}

	@Test
	void overrideShouldReplaceOnlyTheWeightAndLiveBesideTheRegistrationKey() {
		assertThat(new OperatorOverride(7, false, "ops", null).applyTo(OWN).value()).isEqualTo("7");
		assertThat(new OperatorOverride(null, true, "ops", null).applyTo(OWN)).isEqualTo(OWN);
		assertThat(OperatorOverride.NONE.isNone()).isTrue();
		assertThat(OWN.opsKey()).isEqualTo("/grpclb-ops/svc/10.0.0.5:9001");
		assertThat(new OperatorOverride(7, false, "ops", Instant.parse("2026-12-04T10:15:30Z")).describe())
			.isEqualTo("weight 7 (by ops at 2026-12-04T10:15:30Z)");
	}

	@Test
	void valuesThatAreNoOverrideShouldBeRefusedSayingWhy() {
		assertThatIllegalArgumentException().isThrownBy(() -> OperatorOverride.parse("5"));
		assertThatIllegalArgumentException().isThrownBy(() -> OperatorOverride.parse("{\"weight\":0}"))
			.withMessageContaining("at least 1");
		assertThatIllegalArgumentException().isThrownBy(() -> OperatorOverride.parse("{\"weight\":\"heavy\"}"))
			.withMessageContaining("Not an operator's override");
		assertThatIllegalArgumentException().isThrownBy(() -> OperatorOverride.parse("{\"at\":\"yesterday\"}"))
			.withMessageContaining("Not an operator's override");
	}

}
