package io.github.etcdgrpclb.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.json.JsonParserFactory;

/**
 * The IDE help users get: every property of ours documented, with the hints we ship.
 */
class ConfigurationMetadataTests {

	@Test
	void everyPropertyShouldHaveADescriptionAndTheDocumentedExtrasShouldBeThere() throws IOException {
		Map<String, Object> metadata = ours();
		List<Map<String, Object>> properties = list(metadata.get("properties"));
		assertThat(properties).extracting((property) -> property.get("name"))
			.contains("etcd.endpoints", "etcd.registry.ttl", "etcd.lock.wait-time", "etcd.health.unreachable-status",
					"grpc.weight", "management.health.etcd.enabled");
		assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of %s", property.get("name"))
			.isNotBlank());
		assertThat(list(metadata.get("hints"))).extracting((hint) -> hint.get("name"))
			.contains("etcd.health.unreachable-status", "etcd.endpoints", "etcd.lock.wait-time");
	}

	/** The generated metadata of this line's auto-configuration, among every jar's on the class path. */
	private static Map<String, Object> ours() throws IOException {
		for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				if (json.contains("\"io.github.etcdgrpclb.spring.etcd.EtcdProperties\"")) {
					return JsonParserFactory.getJsonParser().parseMap(json);
				}
			}
		}
		throw new AssertionError("no configuration metadata of etcd-grpclb on the class path");
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Object value) {
		return (List<Map<String, Object>>) value;
	}

}
