package io.github.etcdgrpclb.spring.config;

import io.github.etcdgrpclb.config.ConfigFolderSnapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.util.ClassUtils;

/**
 * Turns the keys of a configuration folder into properties. A key is a property
 * ({@code order.max-items} or {@code order/max-items} become {@code order.max-items}); a key named
 * {@code application.yml}, {@code application.yaml} or {@code application.properties} is a whole
 * document in that format. A key-per-property wins over the same property in a document.
 * <p>
 * A document that cannot be parsed is skipped with one warning naming the key, and its last good
 * version stays in use: the application keeps running on its last good values. Not thread safe:
 * used by one property source under its lock.
 */
final class ConfigFolderParser {

	private static final Log logger = LogFactory.getLog(ConfigFolderParser.class);

	private static final boolean YAML_PRESENT = ClassUtils.isPresent("org.yaml.snakeyaml.Yaml",
			ConfigFolderParser.class.getClassLoader());

	private final String folder;

	private final Map<String, ParsedDocument> documents = new HashMap<>();

	private final AtomicLong malformed;

	ConfigFolderParser(String folder, AtomicLong malformed) {
		this.folder = folder;
		this.malformed = malformed;
	}

	/** @return each property with the etcd key it came from, documents first so that single keys win */
	Map<String, Property> parse(ConfigFolderSnapshot snapshot) {
		Map<String, Property> properties = new LinkedHashMap<>();
		Map<String, ParsedDocument> seen = new HashMap<>();
		snapshot.entries().forEach((key, value) -> {
			PropertySourceLoader loader = documentLoader(key);
			if (loader != null) {
				ParsedDocument document = document(key, value, loader);
				seen.put(key, document);
				document.properties().forEach((name, text) -> properties.put(name, new Property(text, this.folder + key)));
			}
		});
		this.documents.keySet().retainAll(seen.keySet());
		this.documents.putAll(seen);
		snapshot.entries().forEach((key, value) -> {
			if (documentLoader(key) == null && !key.isEmpty() && !key.endsWith("/")) {
				properties.put(key.replace('/', '.'), new Property(value, this.folder + key));
			}
		});
		return properties;
	}

	private ParsedDocument document(String key, String value, PropertySourceLoader loader) {
		ParsedDocument previous = this.documents.get(key);
		if (previous != null && previous.text().equals(value)) {
			return previous;
		}
		try {
			return new ParsedDocument(value, read(key, value, loader));
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Skipping etcd key " + this.folder + key + ": not a valid " + key.substring(key.lastIndexOf('.') + 1)
					+ " document (" + ex.getMessage() + ")"
					+ ((previous != null) ? "; its last good version stays in use" : ""));
			this.malformed.incrementAndGet();
			return (previous != null) ? previous : new ParsedDocument(value, Map.of());
		}
	}

	private static Map<String, String> read(String key, String value, PropertySourceLoader loader) throws IOException {
		if (loader instanceof YamlPropertySourceLoader && !YAML_PRESENT) {
			throw new IllegalStateException("reading YAML needs org.yaml:snakeyaml on the class path");
		}
		List<PropertySource<?>> sources = loader.load(key,
				new ByteArrayResource(value.getBytes(StandardCharsets.UTF_8), key));
		Map<String, String> properties = new LinkedHashMap<>();
		// A YAML file may hold several documents: later ones win, as in application.yml.
		for (PropertySource<?> source : sources) {
			if (source instanceof EnumerablePropertySource<?> enumerable) {
				for (String name : enumerable.getPropertyNames()) {
					properties.put(name, String.valueOf(enumerable.getProperty(name)));
				}
			}
		}
		return properties;
	}

	private static PropertySourceLoader documentLoader(String key) {
		return switch (key) {
			case "application.properties" -> new PropertiesPropertySourceLoader();
			case "application.yml", "application.yaml" -> new YamlPropertySourceLoader();
			default -> null;
		};
	}

	/** A property's value and the etcd key that holds it. */
	record Property(String value, String key) {
	}

	private record ParsedDocument(String text, Map<String, String> properties) {
	}

}
