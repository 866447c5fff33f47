package io.github.etcdgrpclb.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The metadata a server publishes beside its key: its JSON both ways, zone and tags. */
class InstanceMetadataTests {

	@Test
	void jsonShouldHoldTheValuesSortedAndEscapedAndReadBackTheSame() {
		InstanceMetadata metadata = new InstanceMetadata(
				Map.of("zone", "eu-1a", "version", "v2", "tags", "canary, blue", "note", "say \"hi\"\\\nnow"));
		assertThat(metadata.toJson())
			.isEqualTo("{\"note\":\"say \\\"hi\\\"\\\\\\nnow\",\"tags\":\"canary, blue\",\"version\":\"v2\",\"zone\":\"eu-1a\"}");
		assertThat(InstanceMetadata.parse(metadata.toJson())).isEqualTo(metadata);
	}

	@Test
	void zoneAndTagsShouldBeReadFromTheirKeys() {
		InstanceMetadata metadata = new InstanceMetadata(Map.of("zone", " a ", "tags", "canary, ,blue,canary"));
		assertThat(metadata.zone()).isEqualTo("a");
		assertThat(metadata.tags()).containsExactly("canary", "blue");
		assertThat(InstanceMetadata.NONE.zone()).isNull();
		assertThat(InstanceMetadata.NONE.tags()).isEmpty();
		assertThat(new InstanceMetadata(Map.of("zone", "")).zone()).as("an empty zone is none").isNull();
	}

	@Test
	void valuesWrittenByOthersShouldBeReadAsText() {
		InstanceMetadata metadata = InstanceMetadata
			.parse(" { \"zone\" : \"b\", \"shard\": 3, \"primary\": true, \"tags\": [\"canary\", \"v2\"], \"e\": \"\\u00e9\" } ");
		assertThat(metadata.values()).containsExactly(Map.entry("e", "\u00e9"), Map.entry("primary", "true"),
				Map.entry("shard", "3"), Map.entry("tags", "canary,v2"), Map.entry("zone", "b"));
		assertThat(metadata.tags()).containsExactly("canary", "v2");
		assertThat(InstanceMetadata.parse("{}")).isEqualTo(InstanceMetadata.NONE);
	}

	@Test
	void anythingButAFlatJsonObjectShouldBeRefusedSayingWhere() {
		assertThatIllegalArgumentException().isThrownBy(() -> InstanceMetadata.parse("3"))
			.withMessage("metadata must be a JSON object of strings; expected '{' at character 1");
		assertThatIllegalArgumentException().isThrownBy(() -> InstanceMetadata.parse("{\"zone\": {\"a\": 1}}"))
			.withMessageContaining("expected a string, number, boolean or array");
		assertThatIllegalArgumentException().isThrownBy(() -> InstanceMetadata.parse("{\"zone\": \"a\""))
			.withMessageContaining("expected ',' or '}'");
		assertThatIllegalArgumentException().isThrownBy(() -> InstanceMetadata.parse("{\"zone\": \"a}"))
			.withMessageContaining("a closing quote");
		assertThatIllegalArgumentException().isThrownBy(() -> InstanceMetadata.parse("{} x"))
			.withMessageContaining("the end of the value");
		assertThatIllegalArgumentException().isThrownBy(() -> new InstanceMetadata(Map.of(" ", "x")))
			.withMessage("Metadata keys must not be blank");
	}

	@Test
	void metadataKeysShouldLiveBesideTheRegistryNotUnderIt() {
		// Under /grpclb/<service>/ the Go tutorial's client would take a metadata key for an address.
		assertThat(InstanceMetadata.metadataPrefix("/grpclb")).isEqualTo("/grpclb-meta");
	}

}
